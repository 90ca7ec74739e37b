# The development environment on the local stack (`make dev`): the same
# environment module as staging and production, with the Durable Object of
# production, hostnames under the local stack's zone and development
# placeholders where the real environments take secrets.

locals {
  # Placeholders, not secrets: the local stack is the only place they go.
  secret_names = [
    "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_JWT_SECRET", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_SECRET",
    "AIRTABLE_API_KEY", "JWT_SECRET", "WEBHOOK_SECRET",
  ]
  placeholder_secrets = { for name in local.secret_names : name => "development-placeholder-${lower(name)}-not-a-secret" }
}

module "environment" {
  source = "../../../modules/environment"

  environment          = "development"
  worker_main_module   = "${path.module}/../app/worker/index.js"
  migrations_directory = "${path.module}/../app/supabase/migrations"
  # The web app as `wrangler pages deploy apps/web/dist` would upload it.
  web_directory = "${path.module}/../app/web/dist"

  # The local stack's Supabase API (Storage) and its anon key, which `make
  # dev` passes from .officehours/local.env.
  supabase_url      = var.supabase_url
  supabase_anon_key = var.supabase_anon_key
  secrets           = local.placeholder_secrets

  # The local stack's edge serves the API Worker on 127.0.0.1:8787; its
  # health check probes through the edge too.
  health_url   = "${var.edge_url}/health"
  alert_emails = ["oncall@officehours.youcanjustdothings.io"]
}

variable "supabase_url" {
  description = "The local stack's Supabase API (SUPABASE_URL in .officehours/local.env; `make dev` sets TF_VAR_supabase_url)."
  type        = string
  default     = "http://127.0.0.1:54321"
}

variable "supabase_anon_key" {
  description = "The local stack's anon key (SUPABASE_ANON_KEY in .officehours/local.env; `make dev` sets TF_VAR_supabase_anon_key)."
  type        = string
  sensitive   = true
  ephemeral   = true
}


variable "edge_url" {
  description = "The local stack's edge, where the deployed Workers answer (OFFICEHOURS_EDGE_URL in .officehours/local.env; `make dev` sets TF_VAR_edge_url)."
  type        = string
  default     = "http://127.0.0.1:8787"
}
