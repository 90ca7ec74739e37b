# The whole composition applied to the local stack, under names and
# hostnames of its own (oh-test-env) so that it never meets the development
# environment of `make dev`. Destroyed at the end.

provider "officehours" {}

variables {
  monitoring           = false
  environment          = "development"
  name                 = "oh-test-env"
  api_hostname         = "api-oh-test-env.officehours.youcanjustdothings.io"
  web_domain           = "oh-test-env.officehours.youcanjustdothings.io"
  worker_main_module   = "../../examples/environments/app/worker/index.js"
  migrations_directory = "../../examples/environments/app/supabase/migrations"
  web_directory        = "../../examples/environments/app/web/dist"
  supabase_url         = "http://127.0.0.1:54321"
  supabase_anon_key    = "test-only-anon-key"
  avatars_bucket       = "oh-test-env-avatars"
  worker_vars          = { VERSION = "test" }
  secrets = {
    SUPABASE_SERVICE_ROLE_KEY = "test-only", SUPABASE_JWT_SECRET = "test-only", GOOGLE_CLIENT_SECRET = "test-only",
    MICROSOFT_CLIENT_SECRET   = "test-only", AIRTABLE_API_KEY = "test-only", JWT_SECRET = "test-only", WEBHOOK_SECRET = "test-only",
  }
}

run "apply" {
  assert {
    condition     = output.worker_name == "oh-test-env-api-development" && output.worker_vars == tomap({ ENVIRONMENT = "development", SUPABASE_URL = "http://127.0.0.1:54321", VERSION = "test" })
    error_message = "worker ${output.worker_name} with ${jsonencode(output.worker_vars)}"
  }
  assert {
    condition     = output.worker_routes == tolist(["api-oh-test-env.officehours.youcanjustdothings.io/*"]) && output.api_url == "https://api-oh-test-env.officehours.youcanjustdothings.io"
    error_message = "route ${jsonencode(output.worker_routes)}, API ${output.api_url}"
  }
  assert {
    condition     = length(output.kv_namespace_ids) == 2 && output.durable_object_bindings["SLOT_GENERATOR"].class_name == "SlotGenerator"
    error_message = "development has CACHE, RATE_LIMIT and the SlotGenerator Durable Object"
  }
  assert {
    condition     = can(regex("^oh-test-env-development(-[a-z0-9]+)?\\.pages\\.dev$", output.pages_subdomain)) && output.pages_domain_status == "active"
    error_message = "Pages ${output.pages_subdomain}, domain ${output.pages_domain_status}"
  }
  assert {
    condition     = output.migration_versions == tolist(["20250301000000", "20250301000100"])
    error_message = "migrations: ${jsonencode(output.migration_versions)}"
  }
  assert {
    condition     = output.rls_policies["Mentees can create bookings"] == "public/bookings/Mentees can create bookings" && length(output.rls_policies) == 5
    error_message = "policies: ${jsonencode(output.rls_policies)}"
  }
  assert {
    condition     = output.avatars_bucket == "oh-test-env-avatars" && module.storage.policies["Users delete their own avatar"] == "storage/objects/Users delete their own avatar" && length(output.storage_policies) == 3
    error_message = "storage: bucket ${output.avatars_bucket}, policies ${jsonencode(output.storage_policies)}"
  }
  assert {
    condition     = output.avatars_public_url == "http://127.0.0.1:54321/storage/v1/object/public/oh-test-env-avatars/"
    error_message = "public URL: ${output.avatars_public_url}"
  }
  assert {
    condition     = output.web_deployment.environment == "production" && output.web_deployment.file_count == 1
    error_message = "web app: ${jsonencode(output.web_deployment)}"
  }
}

# Bumping a secret's version writes it again (the value is never readable, so
# this checks that the rotation applies and leaves the rest as it was).
run "rotate_a_secret" {
  variables {
    secret_versions = { JWT_SECRET = 2 }
  }

  assert {
    condition     = output.worker_name == run.apply.worker_name && output.kv_namespace_ids == run.apply.kv_namespace_ids && output.secret_names == run.apply.secret_names
    error_message = "rotating a secret changed more than the secret"
  }
}

# The design's monitoring, on: the health check of the API and its alert
# policy. The direct GET of https://api-oh-test-env.../health cannot resolve
# from here, so that check warns, which a test counts as a failure.
run "monitoring" {
  variables {
    monitoring   = true
    alert_emails = ["oncall@youcanjustdothings.io"]
  }
  expect_failures = [check.api_health_endpoint]

  assert {
    condition     = output.health_check.address == "api-oh-test-env.officehours.youcanjustdothings.io" && output.health_check.path == "/health"
    error_message = "health check ${jsonencode(output.health_check)}"
  }
  assert {
    condition     = officehours_health_check.api[0].interval == 300 && officehours_health_check.api[0].consecutive_fails == 3 && officehours_health_check.api[0].type == "HTTPS"
    error_message = "the health check is not the design's: every 300 s, unhealthy after 3 failures, over HTTPS"
  }
  assert {
    condition     = officehours_notification_policy.api_health[0].alert_type == "health_check_status_notification" && officehours_notification_policy.api_health[0].filters["health_check_id"] == toset([officehours_health_check.api[0].id])
    error_message = "the alert policy does not watch the health check"
  }
}
