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
  git_repository       = "youcanjustdothings/cf-office-hours"

  # The local stack has a database but no Supabase API: the web app gets the
  # URL a `supabase start` API would have and a placeholder anon key.
  supabase_url      = "http://127.0.0.1:54321"
  supabase_anon_key = "development-placeholder-anon-key-not-a-secret"
  secrets           = local.placeholder_secrets
}

