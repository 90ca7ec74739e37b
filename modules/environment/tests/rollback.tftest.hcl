# The three rollbacks of the rollback guide (docs/guides/rollback.md), run
# step by step on the local stack: release 1, release 2 (new web app, new
# API code, a migration), then the web app back to release 1 by Cloudflare's
# rollback, the API back to release 1's version at once and forward again
# gradually, and the database forward by a migration that undoes release
# 2's. Names start with oh-test-rollback; destroyed at the end.

provider "officehours" {}

variables {
  monitoring           = false
  environment          = "development"
  name                 = "oh-test-rollback"
  api_hostname         = "api-oh-test-rollback.officehours.youcanjustdothings.io"
  web_domain           = "oh-test-rollback.officehours.youcanjustdothings.io"
  avatars_bucket       = "oh-test-rollback-avatars"
  worker_main_module   = "../../examples/environments/app/worker/index.js"
  migrations_directory = "../../examples/environments/app/supabase/migrations"
  web_directory        = "../../examples/environments/app/web/dist"
  supabase_url         = "http://127.0.0.1:54321"
  supabase_anon_key    = "test-only-anon-key"
  secrets = {
    SUPABASE_SERVICE_ROLE_KEY = "test-only", SUPABASE_JWT_SECRET = "test-only", GOOGLE_CLIENT_SECRET = "test-only",
    MICROSOFT_CLIENT_SECRET   = "test-only", AIRTABLE_API_KEY = "test-only", JWT_SECRET = "test-only", WEBHOOK_SECRET = "test-only",
  }
}

run "release_1" {}

run "release_2" {
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-release-2"
  }

  assert {
    condition     = output.web_deployment.id != run.release_1.web_deployment.id && output.api_version_id != run.release_1.api_version_id
    error_message = "release 2 deployed nothing new"
  }
  assert {
    condition     = output.latest_migration == "20250301000200"
    error_message = "migrations: ${jsonencode(output.migration_versions)}"
  }
}

# 1. The web app: rollback_to an earlier production deployment. The plan
# changes the web app's deployment and leaves the API alone.
run "web_rollback_plan" {
  command = plan
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    web_rollback_to      = run.release_1.web_deployment.id
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-release-2"
  }

  assert {
    condition     = module.api.version_id == run.release_2.api_version_id
    error_message = "rolling back the web app must leave the API alone"
  }
}

run "web_rollback" {
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    web_rollback_to      = run.release_1.web_deployment.id
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-release-2"
  }

  assert {
    condition     = output.web_deployment.id == run.release_1.web_deployment.id
    error_message = "web app: ${jsonencode(output.web_deployment)}"
  }
}

# 2a. The API at once: release 1's version at 100 %. Its code is not
# uploaded again.
run "api_rollback" {
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    web_rollback_to      = run.release_1.web_deployment.id
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-release-2"
    api_deployment       = { versions = [{ version_id = run.release_1.api_version_id, percentage = 100 }], message = "roll back the API to release 1" }
  }

  assert {
    condition     = output.api_deployment.versions[0].version_id == run.release_1.api_version_id && output.api_version_id == run.release_2.api_version_id
    error_message = "API: ${jsonencode(output.api_deployment)}"
  }
}

# 2b. Gradually (here forward again): release 2 at 10 %, then 100 %.
run "api_release_2_at_10_percent" {
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    web_rollback_to      = run.release_1.web_deployment.id
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-release-2"
    api_deployment = {
      versions = [{ percentage = 10 }, { version_id = run.release_1.api_version_id, percentage = 90 }]
      message  = "release 2 again: canary"
    }
  }

  assert {
    condition     = output.api_deployment.versions[0].version_id == run.release_2.api_version_id && output.api_deployment.versions[1].percentage == 90
    error_message = "API: ${jsonencode(output.api_deployment)}"
  }
}

# 3. The database: no down migrations on Supabase; a new migration undoes
# release 2's, and the history keeps both.
run "database_rollback" {
  variables {
    web_directory        = "tests/fixtures/release-2/web"
    web_rollback_to      = run.release_1.web_deployment.id
    worker_main_module   = "tests/fixtures/release-2/worker/index.js"
    migrations_directory = "tests/fixtures/migrations-rolled-back"
    api_deployment       = { versions = [{ percentage = 100 }], message = "release 2" }
  }

  assert {
    condition     = output.migration_versions == tolist(["20250301000000", "20250301000100", "20250301000200", "20250301000300"])
    error_message = "migrations: ${jsonencode(output.migration_versions)}"
  }
}
