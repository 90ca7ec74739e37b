# A direct-upload project deployed from a built directory on the local
# stack, then rolled back by configuration. Names start with
# oh-test-web-upload. Destroyed at the end.

provider "officehours" {}

variables {
  name              = "oh-test-web-upload"
  production_branch = "main"
  deployment        = { directory = "../../examples/environments/app/web/dist", commit_message = "first" }
  # Ephemeral: terraform test wants them set in every phase.
  production_secret_variables = {}
  preview_secret_variables    = {}
}

run "deploy" {
  assert {
    condition     = output.deployment.environment == "production" && output.deployment.file_count == 1 && officehours_pages_deployment.this[0].serves_production
    error_message = "deployment: ${jsonencode(output.deployment)}"
  }
}

run "second_plan" {
  command = plan

  assert {
    condition     = output.deployment.id == run.deploy.deployment.id
    error_message = "an unchanged directory planned a new deployment"
  }
}

run "preview" {
  variables {
    deployment = { directory = "../../examples/environments/app/web/dist", branch = "feature/calendar" }
  }

  assert {
    condition     = output.deployment.environment == "preview" && startswith(output.deployment.alias_url, "https://feature-calendar.")
    error_message = "preview: ${jsonencode(output.deployment)}"
  }
}

run "roll_back_to_the_first" {
  variables {
    deployment = { directory = "../../examples/environments/app/web/dist", rollback_to = run.deploy.deployment.id }
  }

  assert {
    condition     = output.deployment.id == run.deploy.deployment.id && officehours_pages_deployment.this[0].serves_production
    error_message = "after the rollback: ${jsonencode(output.deployment)}"
  }
}
