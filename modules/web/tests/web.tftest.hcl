# Real applies against the local stack (make module-test starts it). Every
# name starts with oh-test-web so that it never meets another suite's or the
# development environment's objects. Everything is destroyed at the end.

provider "officehours" {}

variables {
  name              = "oh-test-web"
  production_branch = "main"
  git_source        = { owner = "youcanjustdothings", repository = "cf-office-hours" }
  node_version      = "20"
  build = {
    command          = "npm run build --workspace=apps/web"
    output_directory = "apps/web/dist"
  }
  production = {
    variables = { VITE_API_BASE_URL = "https://api-oh-test-web.example.com", VITE_ENABLE_ANALYTICS = "true" }
  }
  preview = {
    variables = { VITE_API_BASE_URL = "https://api-oh-test-web.example.com", VITE_ENABLE_ANALYTICS = "false" }
  }
  production_secret_variables = { VITE_SUPABASE_ANON_KEY = "test-only-anon-key" }
  preview_secret_variables    = { VITE_SUPABASE_ANON_KEY = "test-only-anon-key" }
  domains                     = ["oh-test-web.officehours.youcanjustdothings.io"]
  zone_name                   = "officehours.youcanjustdothings.io"
}

run "apply" {
  assert {
    # pages.dev names are global and never handed out twice: a project made
    # again after a destroy gets a suffix.
    condition     = can(regex("^oh-test-web(-[a-z0-9]+)?\\.pages\\.dev$", output.subdomain))
    error_message = "subdomain: ${output.subdomain}"
  }
  assert {
    condition     = output.domains["oh-test-web.officehours.youcanjustdothings.io"] == "active"
    error_message = "the domain must become active through the CNAME the module creates"
  }
  assert {
    condition     = officehours_dns_record.this["oh-test-web.officehours.youcanjustdothings.io"].content == output.subdomain && officehours_dns_record.this["oh-test-web.officehours.youcanjustdothings.io"].proxied
    error_message = "the domain's CNAME must point, proxied, at the project's subdomain"
  }
  assert {
    condition     = output.url == "https://oh-test-web.officehours.youcanjustdothings.io"
    error_message = "url: ${output.url}"
  }
  assert {
    condition     = officehours_pages_project.this.build.root_directory == "/" && officehours_pages_project.this.node_version == "20"
    error_message = "build settings were not applied"
  }
  assert {
    condition     = officehours_pages_project.this.production.variables["VITE_ENABLE_ANALYTICS"] == "true" && officehours_pages_project.this.preview.variables["VITE_ENABLE_ANALYTICS"] == "false"
    error_message = "per-deployment variables were not applied"
  }
  assert {
    condition     = output.secret_revisions.production["VITE_SUPABASE_ANON_KEY"] == 1 && output.secret_revisions.preview["VITE_SUPABASE_ANON_KEY"] == 1
    error_message = "the secret variables were not written once each"
  }
}

run "second_plan_is_empty" {
  command = plan

  assert {
    condition     = output.secret_revisions.production["VITE_SUPABASE_ANON_KEY"] == 1
    error_message = "an unchanged secret would be written again"
  }
}

# A rotated secret is written again (and shows as a new revision); a removed
# variable and domain are removed.
run "rotate_and_remove" {
  variables {
    production = {
      variables = { VITE_API_BASE_URL = "https://api-oh-test-web.example.com" }
    }
    production_secret_variables = { VITE_SUPABASE_ANON_KEY = "test-only-anon-key-rotated" }
    domains                     = []
  }

  assert {
    condition     = output.secret_revisions.production["VITE_SUPABASE_ANON_KEY"] == 2 && output.secret_revisions.preview["VITE_SUPABASE_ANON_KEY"] == 1
    error_message = "only the rotated secret must be written again"
  }
  assert {
    condition     = !contains(keys(officehours_pages_project.this.production.variables), "VITE_ENABLE_ANALYTICS") && length(output.domains) == 0 && length(output.dns_records) == 0
    error_message = "the removed variable or domain is still there"
  }
  assert {
    condition     = output.url == "https://${output.subdomain}"
    error_message = "without a domain the url is the pages.dev subdomain"
  }
}
