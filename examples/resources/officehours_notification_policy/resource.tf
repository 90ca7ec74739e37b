variable "api_health_check_id" {
  description = "The API's health check (officehours_health_check)."
  type        = string
}

# Alert the on-call addresses when the API's health check turns unhealthy,
# and again when it recovers.
resource "officehours_notification_policy" "api_health" {
  name          = "CF Office Hours API health"
  description   = "The production API's /health failed 3 probes in a row, or recovered"
  alert_type    = "health_check_status_notification"
  email_targets = ["oncall@youcanjustdothings.io"]
  filters = {
    health_check_id = [var.api_health_check_id] # officehours_health_check.api.id
    status          = ["Unhealthy", "Healthy"]
  }
}
