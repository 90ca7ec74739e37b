# Credentials come from the environment: CLOUDFLARE_API_TOKEN,
# CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_BASE_URL, as wrangler reads them,
# SUPABASE_DB_URL, the URL `supabase db push --db-url` takes (a direct
# connection or the session pooler), and SUPABASE_URL and
# SUPABASE_SERVICE_ROLE_KEY for Storage buckets. On the local stack,
# `source .officehours/local.env` sets them all.
provider "officehours" {}

# Or explicitly, for example from sensitive variables:
provider "officehours" {
  alias = "explicit"

  cloudflare = {
    api_token  = var.cloudflare_api_token
    account_id = var.cloudflare_account_id
  }

  database = {
    url = var.supabase_db_url
  }

  supabase = {
    url              = "https://abcdefghijklmnopqrst.supabase.co"
    service_role_key = var.supabase_service_role_key
  }
}

variable "cloudflare_api_token" {
  type      = string
  sensitive = true
}

variable "cloudflare_account_id" {
  type = string
}

variable "supabase_db_url" {
  type      = string
  sensitive = true
}

variable "supabase_service_role_key" {
  type      = string
  sensitive = true
}
