terraform {
  required_version = ">= 1.11"

  # `make dev` keeps the state with the local stack's (-backend-config=path=...),
  # so that `make local-clean` forgets both; without it, terraform.tfstate here.
  backend "local" {}

  required_providers {
    officehours = {
      source = "youcanjustdothings/officehours"
    }
  }
}

# Settings come from the environment, as `make dev` sets them from
# .officehours/local.env: CLOUDFLARE_API_BASE_URL (the local Cloudflare API),
# CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, SUPABASE_DB_URL, and
# SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (the local Storage API).
provider "officehours" {}
