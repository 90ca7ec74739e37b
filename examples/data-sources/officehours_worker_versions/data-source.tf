# What a rollback pull request names: the recent versions of the API with
# who made them, and what serves now.
data "officehours_worker_versions" "api" {
  script_name = "cf-office-hours-api-production"
  limit       = 5
}

output "recent_versions" {
  value = [for v in data.officehours_worker_versions.api.versions : "${v.id} #${v.number} ${v.created_on} by ${v.source}: ${coalesce(v.message, "-")}"]
}

output "serving" {
  value = data.officehours_worker_versions.api.deployments[0].versions
}
