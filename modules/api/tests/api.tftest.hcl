# Real applies against the local stack (make module-test starts it): every
# name starts with oh-test-api so that it never meets another suite's or the
# development environment's objects. Everything is destroyed at the end.

provider "officehours" {}

variables {
  name               = "oh-test-api"
  main_module        = "tests/fixtures/index.js"
  compatibility_date = "2025-03-11"
  kv_namespaces      = ["CACHE", "RATE_LIMIT"]
  vars               = { ENVIRONMENT = "test" }
  secret_names       = ["JWT_SECRET", "WEBHOOK_SECRET"]
  secret_values = {
    JWT_SECRET     = "test-only-jwt-secret"
    WEBHOOK_SECRET = "test-only-webhook-secret"
  }
}

run "zone" {
  module {
    source = "./tests/zone"
  }
}

run "apply" {
  variables {
    compatibility_flags     = ["nodejs_compat"]
    durable_object_classes  = { Counter = {} }
    durable_object_bindings = { COUNTER = { class_name = "Counter" } }
    zone_id                 = run.zone.id
    routes                  = ["api-oh-test-api.officehours.youcanjustdothings.io/*"]
  }

  assert {
    condition     = output.name == "oh-test-api"
    error_message = "the worker is not named after var.name"
  }
  assert {
    condition     = output.kv_namespace_titles == tomap({ CACHE = "oh-test-api-CACHE", RATE_LIMIT = "oh-test-api-RATE_LIMIT" })
    error_message = "KV namespace titles must be <name>-<binding>: ${jsonencode(output.kv_namespace_titles)}"
  }
  assert {
    condition     = officehours_worker_script.this.kv_namespaces == output.kv_namespace_ids && length(output.kv_namespace_ids) == 2
    error_message = "the worker is not bound to its KV namespaces"
  }
  assert {
    condition     = officehours_worker_script.this.durable_object_bindings["COUNTER"].class_name == "Counter" && officehours_worker_script.this.migration_tag != null
    error_message = "the Durable Object binding or its class migration is missing"
  }
  assert {
    condition     = output.secret_names == tolist(["JWT_SECRET", "WEBHOOK_SECRET"])
    error_message = "secrets: ${jsonencode(output.secret_names)}"
  }
  assert {
    condition     = output.routes == tolist(["api-oh-test-api.officehours.youcanjustdothings.io/*"]) && output.route_ids["api-oh-test-api.officehours.youcanjustdothings.io/*"] != ""
    error_message = "the route was not created"
  }
}

# A second apply with nothing changed changes nothing (no perpetual diff).
run "second_plan_is_empty" {
  command = plan

  variables {
    compatibility_flags     = ["nodejs_compat"]
    durable_object_classes  = { Counter = {} }
    durable_object_bindings = { COUNTER = { class_name = "Counter" } }
    zone_id                 = run.zone.id
    routes                  = ["api-oh-test-api.officehours.youcanjustdothings.io/*"]
  }

  assert {
    condition     = officehours_worker_script.this.version_id == run.apply.version_id
    error_message = "the worker would be uploaded again"
  }
}

# Dropping the binding, the class (with the opt-in), a KV namespace and the
# route converges too.
run "shrink" {
  variables {
    kv_namespaces                 = ["CACHE"]
    allow_durable_object_deletion = true
  }

  assert {
    condition     = keys(output.kv_namespace_ids) == tolist(["CACHE"]) && officehours_worker_script.this.durable_object_bindings == null
    error_message = "the KV namespace or the Durable Object binding was not removed"
  }
  assert {
    condition     = length(output.routes) == 0
    error_message = "the route was not removed"
  }
}
