# The development environment on the local stack (`make dev`). Settings come
# from .officehours/local.env: CLOUDFLARE_API_BASE_URL, CLOUDFLARE_API_TOKEN,
# CLOUDFLARE_ACCOUNT_ID and SUPABASE_DB_URL.
terraform {
  required_version = ">= 1.11"
  required_providers {
    officehours = {
      source = "youcanjustdothings/officehours"
    }
  }
}

provider "officehours" {}

data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

resource "officehours_kv_namespace" "cache" {
  title = "cf-office-hours-api-development-CACHE"
}

resource "officehours_kv_namespace" "rate_limit" {
  title = "cf-office-hours-api-development-RATE_LIMIT"
}

output "zone_id" {
  value = data.officehours_zone.main.id
}

output "kv_namespace_ids" {
  value = {
    CACHE      = officehours_kv_namespace.cache.id
    RATE_LIMIT = officehours_kv_namespace.rate_limit.id
  }
}
