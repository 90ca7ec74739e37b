# What a health check found, read afresh on each run.
data "officehours_health_check" "api" {
  zone_id = var.zone_id         # officehours_health_check.api.zone_id
  id      = var.health_check_id # officehours_health_check.api.id
}

output "api_health" {
  value = "${data.officehours_health_check.api.status} ${data.officehours_health_check.api.failure_reason}"
}

variable "zone_id" {
  type = string
}

variable "health_check_id" {
  type = string
}
