# CF Office Hours production, as the deployment design has it (see
# modules/environment/README.md for what it creates). Apply it from the
# platform workflow (examples/workflows/platform.yml) or by hand with the
# credentials and variables in the environment.

module "environment" {
  source = "../../../modules/environment"

  environment          = "production"
  worker_main_module   = "${path.module}/../app/worker/index.js"
  migrations_directory = "${path.module}/../app/supabase/migrations"
  git_repository       = var.github_repository

  supabase_url      = var.supabase_url
  supabase_anon_key = var.supabase_anon_key
  secrets           = var.secrets
  secret_versions   = var.secret_versions
  alert_emails      = var.alert_emails
}
