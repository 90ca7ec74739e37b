# One GET of the API's /health; a check block warns when it does not answer
# ok (a failed request reads as status_code 0). With depends_on on what
# deploys the API, it is read after a deploy rather than before.
data "officehours_http_health" "api" {
  url = "https://api.officehours.youcanjustdothings.io/health"
}

check "api_health_endpoint" {
  assert {
    condition     = data.officehours_http_health.api.status == "ok"
    error_message = "GET /health answered ${data.officehours_http_health.api.status_code}: ${coalesce(data.officehours_http_health.api.error, data.officehours_http_health.api.status, "no status")}."
  }
}
