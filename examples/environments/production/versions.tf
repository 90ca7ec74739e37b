terraform {
  required_version = ">= 1.11"

  required_providers {
    officehours = {
      source = "youcanjustdothings/officehours"
    }
  }
}

# Credentials come from the environment only: CLOUDFLARE_API_TOKEN,
# CLOUDFLARE_ACCOUNT_ID, SUPABASE_DB_URL (the direct connection or the
# session pooler of the production Supabase project), and SUPABASE_URL and
# SUPABASE_SERVICE_ROLE_KEY (its project URL and service_role key, for the
# Storage buckets).
provider "officehours" {}
