# The CF Office Hours API: an ES module bundle with its KV namespaces and the
# Durable Object class it exports. Build the bundle before planning (for
# example `wrangler deploy --dry-run --outdir dist`): the plan hashes the files.
resource "officehours_kv_namespace" "cache" {
  title = "cf-office-hours-api-production-CACHE"
}

resource "officehours_kv_namespace" "rate_limit" {
  title = "cf-office-hours-api-production-RATE_LIMIT"
}

resource "officehours_worker_script" "api" {
  name        = "cf-office-hours-api-production"
  main_module = "${path.module}/dist/index.js"
  # Further modules are named by their path relative to the main module's
  # directory, as wrangler names them.
  modules = ["${path.module}/dist/index.js.map"]

  compatibility_date  = "2025-03-11"
  compatibility_flags = ["nodejs_compat"]

  vars = {
    ENVIRONMENT = "production"
  }

  kv_namespaces = {
    CACHE      = officehours_kv_namespace.cache.id
    RATE_LIMIT = officehours_kv_namespace.rate_limit.id
  }

  # Classes the script exports: the provider works out the Durable Object
  # migration from what is live, no tags to keep by hand.
  durable_object_classes = {
    SlotGenerator = {}
  }

  durable_object_bindings = {
    SLOT_GENERATOR = { class_name = "SlotGenerator" }
  }
}
