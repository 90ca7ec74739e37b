# A release as pull requests make it, on the local stack: v1 deployed, v2
# uploaded and sent 10 %, then all traffic, then a rollback to v1. Names
# start with oh-test-api-release. Destroyed at the end.

provider "officehours" {}

variables {
  name               = "oh-test-api-release"
  main_module        = "tests/fixtures/index.js"
  compatibility_date = "2025-03-11"
  secret_names       = ["JWT_SECRET"]
  secret_values      = { JWT_SECRET = "test-only-jwt-secret" }
  deployment         = { versions = [{ percentage = 100 }], message = "v1" }
}

run "v1" {
  assert {
    condition     = output.deployment.versions[0].percentage == 100
    error_message = "deployment: ${jsonencode(output.deployment)}"
  }
}

run "v2_at_10_percent" {
  variables {
    main_module = "tests/fixtures/v2/index.js"
    deployment = {
      versions = [{ percentage = 10 }, { version_id = run.v1.deployment.versions[0].version_id, percentage = 90 }]
      message  = "v2 canary"
    }
  }

  assert {
    condition     = output.version_id != run.v1.version_id && length(output.deployment.versions) == 2 && output.deployment.versions[0].version_id == output.version_id
    error_message = "deployment: ${jsonencode(output.deployment)}"
  }
}

run "v2_everywhere" {
  variables {
    main_module = "tests/fixtures/v2/index.js"
    deployment  = { versions = [{ percentage = 100 }], message = "v2" }
  }

  assert {
    condition     = output.deployment.versions[0].version_id == run.v2_at_10_percent.version_id
    error_message = "deployment: ${jsonencode(output.deployment)}"
  }
}

run "roll_back_to_v1" {
  variables {
    main_module = "tests/fixtures/v2/index.js"
    deployment  = { versions = [{ version_id = run.v1.deployment.versions[0].version_id, percentage = 100 }], message = "roll back" }
  }

  assert {
    condition     = output.deployment.versions[0].version_id == run.v1.deployment.versions[0].version_id && output.version_id == run.v2_at_10_percent.version_id
    error_message = "deployment: ${jsonencode(output.deployment)}"
  }
}
