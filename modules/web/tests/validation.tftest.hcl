# Input validation: each run plans with one wrong input and expects that
# variable's validation to fail. Nothing is created.

provider "officehours" {}

variables {
  name       = "oh-test-web-validation"
  git_source = { owner = "youcanjustdothings", repository = "cf-office-hours" }
}

run "name_too_long" {
  command = plan
  variables { name = "cf-office-hours-with-a-name-far-longer-than-pages-allows-it" }
  expect_failures = [var.name]
}

run "name_ends_with_dash" {
  command = plan
  variables { name = "cf-office-hours-" }
  expect_failures = [var.name]
}

run "node_version_not_a_version" {
  command = plan
  variables { node_version = "lts/iron" }
  expect_failures = [var.node_version]
}

run "node_version_as_variable" {
  command = plan
  variables { production = { variables = { NODE_VERSION = "20" } } }
  expect_failures = [var.production]
}

run "variable_name_with_dash" {
  command = plan
  variables { preview = { variables = { "VITE-API" = "x" } } }
  expect_failures = [var.preview]
}

run "compatibility_date_not_a_date" {
  command = plan
  variables { production = { compatibility_date = "2025-03" } }
  expect_failures = [var.production]
}

run "secret_also_plain" {
  command = plan
  variables {
    production                  = { variables = { VITE_SUPABASE_ANON_KEY = "x" } }
    production_secret_variables = { VITE_SUPABASE_ANON_KEY = "y" }
  }
  expect_failures = [var.production_secret_variables]
}

run "git_source_unknown_type" {
  command = plan
  variables { git_source = { type = "bitbucket", owner = "o", repository = "r" } }
  expect_failures = [var.git_source]
}

run "domain_with_scheme" {
  command = plan
  variables { domains = ["https://staging.officehours.youcanjustdothings.io"] }
  expect_failures = [var.domains]
}

run "domains_without_their_zone" {
  command = plan
  variables { domains = ["staging.officehours.youcanjustdothings.io"] }
  expect_failures = [officehours_dns_record.this]
}

run "wait_timeout_not_a_duration" {
  command = plan
  variables { wait_timeout = "ten minutes" }
  expect_failures = [var.wait_timeout]
}

run "git_repository_with_owner" {
  command = plan
  variables { git_source = { owner = "youcanjustdothings", repository = "youcanjustdothings/cf-office-hours" } }
  expect_failures = [var.git_source]
}

# Without a Git source the module makes a direct-upload project (deployed
# with `wrangler pages deploy`), and whole objects from variables plan.
run "direct_upload_project_plans" {
  command = plan
  variables { git_source = null }
  assert {
    condition     = officehours_pages_project.this.source == null
    error_message = "a project without git_source must have no source"
  }
}

run "deployment_with_git_source" {
  command = plan
  variables {
    git_source = { owner = "youcanjustdothings", repository = "cf-office-hours" }
    deployment = { directory = "../../examples/environments/app/web/dist" }
  }
  expect_failures = [var.deployment]
}
