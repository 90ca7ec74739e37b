# Input validation: each run plans with one wrong input and expects that
# variable's validation to fail. Nothing is created.

provider "officehours" {}

variables {
  buckets = { oh-test-storage-avatars = {} }
}

run "policy_on_unmanaged_bucket" {
  command = plan
  variables {
    policies = { p = { bucket = "avatars", command = "SELECT", roles = ["authenticated"] } }
  }
  expect_failures = [var.policies]
}

run "policy_command_lower_case" {
  command = plan
  variables {
    policies = { p = { bucket = "oh-test-storage-avatars", command = "select", roles = ["authenticated"] } }
  }
  expect_failures = [var.policies]
}

run "insert_policy_with_using" {
  command = plan
  variables {
    policies = { p = { bucket = "oh-test-storage-avatars", command = "INSERT", roles = ["authenticated"], using = "true" } }
  }
  expect_failures = [var.policies]
}

run "select_policy_with_check" {
  command = plan
  variables {
    policies = { p = { bucket = "oh-test-storage-avatars", command = "SELECT", roles = ["authenticated"], with_check = "true" } }
  }
  expect_failures = [var.policies]
}

run "policy_without_roles" {
  command = plan
  variables {
    policies = { p = { bucket = "oh-test-storage-avatars", command = "SELECT", roles = [] } }
  }
  expect_failures = [var.policies]
}

