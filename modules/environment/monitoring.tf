# The design's monitoring: the API's /health probed every 5 minutes,
# alerting after 3 consecutive failures, and checks that warn after an
# apply when the API does not answer ok.

resource "officehours_health_check" "api" {
  count = var.monitoring ? 1 : 0

  zone_id           = data.officehours_zone.this.id
  name              = "${local.worker_name}-health"
  description       = "GET https://${local.api_hostname}/health answers status ok"
  address           = local.api_hostname
  type              = "HTTPS"
  path              = "/health"
  interval          = 300
  consecutive_fails = 3
  expected_codes    = ["200"]
  expected_body     = "\"status\":\"ok\""
  headers           = { Host = local.api_hostname }

  # Probe what is deployed and routed, not a hostname nothing answers yet.
  depends_on = [module.api]
}

resource "officehours_notification_policy" "api_health" {
  count = var.monitoring && length(var.alert_emails) > 0 ? 1 : 0

  name          = "${local.worker_name} health"
  description   = "The ${var.environment} API's /health failed 3 probes in a row, or recovered"
  alert_type    = "health_check_status_notification"
  email_targets = var.alert_emails
  filters = {
    health_check_id = [officehours_health_check.api[0].id]
    status          = ["Unhealthy", "Healthy"]
  }
}

# The checks read no nested data source: Terraform reads those again at
# every plan ("read_because_check_nested"), so no plan would ever be empty.
check "api_health_check" {
  assert {
    condition     = one(officehours_health_check.api[*].status) != "unhealthy"
    error_message = "The health check of https://${local.api_hostname}/health is unhealthy: ${coalesce(one(officehours_health_check.api[*].failure_reason), "no reason given")}."
  }
}

# Read after the API's changes are applied (depends_on defers it), at plan
# time when nothing changes; a request that fails reads as status_code 0.
data "officehours_http_health" "api" {
  count = var.monitoring ? 1 : 0

  url        = local.health_url
  depends_on = [module.api]
}

check "api_health_endpoint" {
  assert {
    condition     = !var.monitoring || one(data.officehours_http_health.api[*].status) == "ok"
    error_message = "GET ${local.health_url} did not answer status ok: ${jsonencode(one(data.officehours_http_health.api[*]))}."
  }
}
