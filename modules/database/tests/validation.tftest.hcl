# Input validation: each run plans with one wrong input and expects that
# variable's validation to fail. Nothing is created.

provider "officehours" {}

variables {
  migrations_directory = "tests/fixtures/migrations"
  tables               = { oh_test_notes = {} }
}

run "directory_without_migrations" {
  command = plan
  variables { migrations_directory = "tests" }
  expect_failures = [var.migrations_directory]
}

run "baseline_not_a_version" {
  command = plan
  variables { baseline_version = "v1" }
  expect_failures = [var.baseline_version]
}

run "timeout_not_a_duration" {
  command = plan
  variables { timeouts = { create = "twenty minutes" } }
  expect_failures = [var.timeouts]
}

run "policy_on_undeclared_table" {
  command = plan
  variables {
    policies = { p = { table = "bookings", using = "true" } }
  }
  expect_failures = [var.policies]
}

run "policy_command_unknown" {
  command = plan
  variables {
    policies = { p = { table = "oh_test_notes", command = "READ", using = "true" } }
  }
  expect_failures = [var.policies]
}

run "insert_policy_with_using" {
  command = plan
  variables {
    policies = { p = { table = "oh_test_notes", command = "INSERT", using = "true" } }
  }
  expect_failures = [var.policies]
}

run "select_policy_with_check" {
  command = plan
  variables {
    policies = { p = { table = "oh_test_notes", command = "SELECT", with_check = "true" } }
  }
  expect_failures = [var.policies]
}

run "policy_without_expression" {
  command = plan
  variables {
    policies = { p = { table = "oh_test_notes" } }
  }
  expect_failures = [var.policies]
}

run "grant_on_undeclared_table" {
  command = plan
  variables {
    grants = { x = { table = "oh_test_missing", role = "anon", privileges = ["SELECT"] } }
  }
  expect_failures = [var.grants]
}

run "grant_twice_to_one_role" {
  command = plan
  variables {
    grants = {
      a = { table = "oh_test_notes", role = "anon", privileges = ["SELECT"] }
      b = { table = "oh_test_notes", role = "anon", privileges = ["INSERT"] }
    }
  }
  expect_failures = [var.grants]
}
