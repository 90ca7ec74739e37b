# Staging and production from one module: plans only (nothing is created),
# checking that the two differ where the deployment design says they do and
# agree everywhere else.

provider "officehours" {}

variables {
  monitoring           = false
  worker_main_module   = "../../examples/environments/app/worker/index.js"
  migrations_directory = "../../examples/environments/app/supabase/migrations"
  git_repository       = "youcanjustdothings/cf-office-hours"
  supabase_url         = "https://oh-test-env.supabase.co"
  supabase_anon_key    = "test-only-anon-key"
  secrets = {
    SUPABASE_SERVICE_ROLE_KEY = "test-only", SUPABASE_JWT_SECRET = "test-only", GOOGLE_CLIENT_SECRET = "test-only",
    MICROSOFT_CLIENT_SECRET   = "test-only", AIRTABLE_API_KEY = "test-only", JWT_SECRET = "test-only", WEBHOOK_SECRET = "test-only",
  }
}

run "production" {
  command = plan
  variables { environment = "production" }

  assert {
    condition     = output.worker_name == "cf-office-hours-api-production"
    error_message = "worker: ${output.worker_name}"
  }
  assert {
    condition     = output.kv_namespace_titles == tomap({ CACHE = "cf-office-hours-api-production-CACHE", RATE_LIMIT = "cf-office-hours-api-production-RATE_LIMIT" })
    error_message = "KV titles: ${jsonencode(output.kv_namespace_titles)}"
  }
  assert {
    condition     = output.durable_object_bindings["SLOT_GENERATOR"].class_name == "SlotGenerator"
    error_message = "production binds SLOT_GENERATOR to SlotGenerator"
  }
  assert {
    condition     = keys(output.durable_object_classes) == tolist(["SlotGenerator"])
    error_message = "production declares the SlotGenerator class"
  }
  assert {
    condition     = output.worker_routes == tolist(["api.officehours.youcanjustdothings.io/*"])
    error_message = "route: ${jsonencode(output.worker_routes)}"
  }
  assert {
    condition     = output.pages_project == "cf-office-hours" && output.pages_domain == "officehours.youcanjustdothings.io" && output.pages_production_branch == "main"
    error_message = "Pages: ${output.pages_project} on ${output.pages_domain}, branch ${output.pages_production_branch}"
  }
  assert {
    condition     = output.web_production_variables["VITE_ENABLE_ANALYTICS"] == "true" && output.web_preview_variables["VITE_ENABLE_ANALYTICS"] == "false"
    error_message = "analytics must be on in production deployments and off in previews"
  }
  assert {
    condition     = output.web_production_variables["VITE_API_BASE_URL"] == "https://api.officehours.youcanjustdothings.io"
    error_message = "VITE_API_BASE_URL: ${output.web_production_variables["VITE_API_BASE_URL"]}"
  }
  assert {
    condition     = output.worker_vars["ENVIRONMENT"] == "production" && output.worker_compatibility.date == "2025-03-11" && output.worker_compatibility.flags == tolist(["nodejs_compat"])
    error_message = "the worker's ENVIRONMENT, compatibility date or flags are wrong"
  }
  assert {
    condition     = length(output.secret_names) == 7
    error_message = "the worker must get the seven secrets"
  }
  assert {
    condition     = output.pages_build.command == "npm run build --workspace=apps/web" && output.pages_build.output_directory == "apps/web/dist" && output.pages_build.root_directory == "/" && output.pages_build.node_version == "20"
    error_message = "the Pages build settings are not the design's"
  }
}

run "staging" {
  command = plan
  variables { environment = "staging" }

  assert {
    condition     = output.worker_name == "cf-office-hours-api-staging"
    error_message = "worker: ${output.worker_name}"
  }
  assert {
    condition     = length(output.durable_object_bindings) == 0 && length(output.durable_object_classes) == 0
    error_message = "staging has no Durable Object"
  }
  assert {
    condition     = output.worker_routes == tolist(["api-staging.officehours.youcanjustdothings.io/*"])
    error_message = "route: ${jsonencode(output.worker_routes)}"
  }
  assert {
    condition     = output.pages_project == "cf-office-hours-staging" && output.pages_domain == "staging.officehours.youcanjustdothings.io" && output.pages_production_branch == "develop"
    error_message = "Pages: ${output.pages_project} on ${output.pages_domain}, branch ${output.pages_production_branch}"
  }
  assert {
    condition     = output.web_production_variables["VITE_ENABLE_ANALYTICS"] == "false" && output.web_preview_variables["VITE_ENABLE_ANALYTICS"] == "false"
    error_message = "analytics is on in production only"
  }
  assert {
    condition     = output.web_production_variables["VITE_API_BASE_URL"] == "https://api-staging.officehours.youcanjustdothings.io"
    error_message = "VITE_API_BASE_URL: ${output.web_production_variables["VITE_API_BASE_URL"]}"
  }
}

# Everything else is the same in both: the policies and tables, the secrets,
# the KV bindings, the worker's compatibility settings, the build, the
# realtime flag, the Supabase URL and the avatars bucket's policies.
run "the_rest_is_the_same" {
  command = plan
  variables { environment = "staging" }

  assert {
    condition     = run.staging.secret_names == run.production.secret_names && keys(run.staging.kv_namespace_titles) == keys(run.production.kv_namespace_titles)
    error_message = "secrets and KV bindings must not differ"
  }
  assert {
    condition     = run.staging.web_production_variables["VITE_ENABLE_REALTIME"] == run.production.web_production_variables["VITE_ENABLE_REALTIME"] && run.staging.web_production_variables["VITE_SUPABASE_URL"] == run.production.web_production_variables["VITE_SUPABASE_URL"]
    error_message = "realtime and the Supabase URL must not differ"
  }
  assert {
    condition     = run.staging.worker_compatibility == run.production.worker_compatibility && run.staging.pages_build == run.production.pages_build
    error_message = "compatibility settings and the build must not differ"
  }
  assert {
    condition     = keys(run.staging.rls_tables) == tolist(["bookings", "users"]) && keys(run.staging.rls_tables) == keys(run.production.rls_tables)
    error_message = "RLS tables must be users and bookings in both"
  }
  assert {
    condition     = keys(output.rls_policies) == tolist(["Mentees can create bookings", "Users can update own profile", "Users can view mentors", "Users can view own bookings", "Users can view own profile"])
    error_message = "policies: ${jsonencode(keys(output.rls_policies))}"
  }
  assert {
    condition     = keys(output.storage_policies) == tolist(["Users delete their own avatar", "Users replace their own avatar", "Users upload their own avatar"]) && output.avatars_public_url == "https://oh-test-env.supabase.co/storage/v1/object/public/avatars/"
    error_message = "storage: ${jsonencode(keys(output.storage_policies))}, ${output.avatars_public_url}"
  }
}
