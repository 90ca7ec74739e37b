# The CF Office Hours web app: a Vite build from the monorepo, deployed to
# production from main and as previews from develop and staging.
variable "sentry_auth_token" {
  description = "Token the production build uses to upload source maps."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "supabase_anon_keys" {
  description = "Public anon keys of the Supabase projects (they ship in the browser bundle), by deployment."
  type        = object({ production = string, preview = string })
}

resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
  node_version      = "20"

  build = {
    command          = "npm run build --workspace=apps/web"
    output_directory = "apps/web/dist"
    root_directory   = "/"
  }

  source = {
    type                    = "github"
    owner                   = "youcanjustdothings"
    repository              = "cf-office-hours"
    preview_deployments     = "custom"
    preview_branch_includes = ["develop", "staging"]
  }

  production = {
    variables = {
      VITE_API_BASE_URL      = "https://api.officehours.youcanjustdothings.io"
      VITE_SUPABASE_URL      = "https://abcdefghijklmnopqrst.supabase.co"
      VITE_SUPABASE_ANON_KEY = var.supabase_anon_keys.production
      VITE_ENABLE_REALTIME   = "true"
      VITE_ENABLE_ANALYTICS  = "true"
    }
    # Write-only: the value never enters the plan or the state; a changed
    # value shows as a change of production.secret_revisions.
    secret_variables = {
      SENTRY_AUTH_TOKEN = var.sentry_auth_token
    }
  }

  preview = {
    variables = {
      VITE_API_BASE_URL      = "https://api-staging.officehours.youcanjustdothings.io"
      VITE_SUPABASE_URL      = "https://tsrqponmlkjihgfedcba.supabase.co"
      VITE_SUPABASE_ANON_KEY = var.supabase_anon_keys.preview
      VITE_ENABLE_REALTIME   = "true"
      VITE_ENABLE_ANALYTICS  = "false"
    }
  }
}
