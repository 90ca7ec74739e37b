data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

# The design's monitoring of the API: /health every 5 minutes, unhealthy
# after 3 failed probes in a row.
resource "officehours_health_check" "api" {
  zone_id           = data.officehours_zone.main.id
  name              = "cf-office-hours-api-production-health"
  address           = "api.officehours.youcanjustdothings.io"
  type              = "HTTPS"
  path              = "/health"
  interval          = 300
  consecutive_fails = 3
  expected_codes    = ["200"]
  expected_body     = "\"status\":\"ok\""
  headers           = { Host = "api.officehours.youcanjustdothings.io" }
}

# What the probes found, as last read.
output "api_health" {
  value = "${officehours_health_check.api.status} ${officehours_health_check.api.failure_reason}"
}
