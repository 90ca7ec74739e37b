terraform {
  required_version = ">= 1.11"

  required_providers {
    officehours = {
      source = "youcanjustdothings/officehours"
    }
  }
}

# Credentials come from the environment only: CLOUDFLARE_API_TOKEN,
# CLOUDFLARE_ACCOUNT_ID and SUPABASE_DB_URL (the direct connection or the
# session pooler of the staging Supabase project).
provider "officehours" {}
