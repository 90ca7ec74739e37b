# Input validation: each run plans with one wrong input and expects that
# variable's validation to fail. Nothing is created.

provider "officehours" {}

variables {
  monitoring           = false
  environment          = "development"
  name                 = "oh-test-env-validation"
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

run "environment_unknown" {
  command = plan
  variables { environment = "prod" }
  expect_failures = [var.environment]
}

run "name_too_long_for_pages" {
  command = plan
  variables { name = "cf-office-hours-and-a-great-many-more-words-here" }
  expect_failures = [var.name]
}

run "secret_missing" {
  command = plan
  variables {
    secrets = {
      SUPABASE_SERVICE_ROLE_KEY = "test-only", SUPABASE_JWT_SECRET = "test-only", GOOGLE_CLIENT_SECRET = "test-only",
      MICROSOFT_CLIENT_SECRET   = "test-only", AIRTABLE_API_KEY = "test-only", JWT_SECRET = "test-only",
    }
  }
  expect_failures = [var.secrets]
}

run "supabase_url_without_scheme" {
  command = plan
  variables { supabase_url = "oh-test-env.supabase.co" }
  expect_failures = [var.supabase_url]
}

run "anon_key_empty" {
  command = plan
  variables { supabase_anon_key = "" }
  expect_failures = [var.supabase_anon_key]
}

run "git_repository_without_owner" {
  command = plan
  variables { git_repository = "cf-office-hours" }
  expect_failures = [var.git_repository]
}

run "worker_vars_override_environment" {
  command = plan
  variables { worker_vars = { ENVIRONMENT = "production" } }
  expect_failures = [var.worker_vars]
}

run "compatibility_date_not_a_date" {
  command = plan
  variables { compatibility_date = "2025-03-32" }
  expect_failures = [var.compatibility_date]
}

run "api_hostname_with_path" {
  command = plan
  variables { api_hostname = "api.officehours.youcanjustdothings.io/*" }
  expect_failures = [var.api_hostname]
}

run "zone_name_uppercase" {
  command = plan
  variables { zone_name = "OfficeHours.example.com" }
  expect_failures = [var.zone_name]
}

run "web_from_git_and_directory" {
  command = plan
  variables { web_directory = "../../examples/environments/app/web/dist" }
  expect_failures = [var.git_repository]
}
