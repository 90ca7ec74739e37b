resource "officehours_kv_namespace" "cache" {
  title = "cf-office-hours-api-production-CACHE"
}
