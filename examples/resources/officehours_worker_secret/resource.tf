# The seven secrets of the CF Office Hours API. Values come from an ephemeral,
# sensitive variable (for example TF_VAR_api_secrets in CI): they reach
# Cloudflare but never the plan or the state.
variable "api_secrets" {
  description = "Secret values of the API Worker by binding name."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

locals {
  api_secret_names = toset([
    "SUPABASE_SERVICE_ROLE_KEY",
    "SUPABASE_JWT_SECRET",
    "GOOGLE_CLIENT_SECRET",
    "MICROSOFT_CLIENT_SECRET",
    "AIRTABLE_API_KEY",
    "JWT_SECRET",
    "WEBHOOK_SECRET",
  ])
}

# In a configuration that also manages the Worker, write
# script_name = officehours_worker_script.api.name so that it exists first.
resource "officehours_worker_secret" "api" {
  for_each = local.api_secret_names

  script_name = "cf-office-hours-api-production"
  name        = each.key
  value_wo    = var.api_secrets[each.key]
}
