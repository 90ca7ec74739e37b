# Input validation: each run plans with one wrong input and expects that
# variable's validation to fail. Nothing is created.

provider "officehours" {}

variables {
  name               = "oh-test-api-validation"
  main_module        = "tests/fixtures/index.js"
  compatibility_date = "2025-03-11"
}

run "name_with_uppercase" {
  command = plan
  variables { name = "CF-Office-Hours" }
  expect_failures = [var.name]
}

run "main_module_missing" {
  command = plan
  variables { main_module = "tests/fixtures/missing.js" }
  expect_failures = [var.main_module]
}

run "compatibility_date_not_iso" {
  command = plan
  variables { compatibility_date = "11/03/2025" }
  expect_failures = [var.compatibility_date]
}

run "compatibility_date_impossible" {
  command = plan
  variables { compatibility_date = "2025-02-30" }
  expect_failures = [var.compatibility_date]
}

run "kv_binding_not_an_identifier" {
  command = plan
  variables { kv_namespaces = ["rate-limit"] }
  expect_failures = [var.kv_namespaces]
}

run "var_binding_not_an_identifier" {
  command = plan
  variables { vars = { "MY VAR" = "x" } }
  expect_failures = [var.vars]
}

run "json_var_not_json" {
  command = plan
  variables { json_vars = { LIMITS = "{rpm: 60}" } }
  expect_failures = [var.json_vars]
}

run "durable_object_binding_without_its_class" {
  command = plan
  variables { durable_object_bindings = { SLOT_GENERATOR = { class_name = "SlotGenerator" } } }
  expect_failures = [var.durable_object_bindings]
}

run "durable_object_storage_unknown" {
  command = plan
  variables { durable_object_classes = { SlotGenerator = { storage = "disk" } } }
  expect_failures = [var.durable_object_classes]
}

run "secret_value_missing" {
  command = plan
  variables {
    secret_names  = ["JWT_SECRET", "WEBHOOK_SECRET"]
    secret_values = { JWT_SECRET = "x" }
  }
  expect_failures = [var.secret_values]
}

run "route_with_uppercase_host" {
  command = plan
  variables {
    zone_id = "0123456789abcdef0123456789abcdef"
    routes  = ["API.officehours.youcanjustdothings.io/*"]
  }
  expect_failures = [var.routes]
}

run "route_with_inner_wildcard" {
  command = plan
  variables {
    zone_id = "0123456789abcdef0123456789abcdef"
    routes  = ["api.officehours.youcanjustdothings.io/*/v1"]
  }
  expect_failures = [var.routes]
}

run "route_without_zone" {
  command = plan
  variables { routes = ["api.officehours.youcanjustdothings.io/*"] }
  expect_failures = [var.routes]
}

run "deployment_percentages_under_100" {
  command = plan
  variables {
    deployment = { versions = [{ percentage = 50 }, { version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 40 }] }
  }
  expect_failures = [var.deployment]
}

run "deployment_two_uploaded_versions" {
  command = plan
  variables {
    deployment = { versions = [{ percentage = 50 }, { percentage = 50 }] }
  }
  expect_failures = [var.deployment]
}
