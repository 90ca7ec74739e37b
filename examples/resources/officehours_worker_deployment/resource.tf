# The API uploads versions without deploying them; the deployment decides
# which serve. Each step below is one pull request.
resource "officehours_worker_script" "api" {
  name               = "cf-office-hours-api-production"
  main_module        = "${path.module}/dist/index.js"
  compatibility_date = "2025-03-11"
  deploy             = false
}

# A canary: the version this configuration uploaded gets 10 % of requests,
# the version serving until now keeps 90 %. The next pull request sets the
# new version to 100 and drops the old one.
resource "officehours_worker_deployment" "api" {
  script_name = officehours_worker_script.api.name
  versions = [
    { version_id = officehours_worker_script.api.version_id, percentage = 10 },
    { version_id = "8b3c6a7e-2f4d-4b1a-9c0e-5d6f7a8b9c0d", percentage = 90 },
  ]
  message = "bookings v2: canary"
}

# A rollback is a deployment of an earlier version at 100 %:
#   versions = [{ version_id = "8b3c6a7e-2f4d-4b1a-9c0e-5d6f7a8b9c0d", percentage = 100 }]
#   message  = "roll back: bookings v2 double-books"
# data.officehours_worker_versions lists the ids.

# Secrets change after the deployment: a secret change deploys a version of
# what serves, with the new value.
resource "officehours_worker_secret" "jwt" {
  script_name      = officehours_worker_deployment.api.script_name
  name             = "JWT_SECRET"
  value_wo         = var.jwt_secret
  value_wo_version = 1
}

variable "jwt_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
