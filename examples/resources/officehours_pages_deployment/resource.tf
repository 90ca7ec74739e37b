# A direct-upload project and the built web app, as
# `wrangler pages deploy apps/web/dist --project-name cf-office-hours` sends it.
resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
}

resource "officehours_pages_deployment" "web" {
  project_name   = officehours_pages_project.web.name
  directory      = "${path.module}/apps/web/dist"
  commit_hash    = var.commit_sha
  commit_message = "web: booking calendar"
}

# To roll the web app back to an earlier production deployment without
# uploading anything, add its id (terraform state show, or
# `wrangler pages deployment list --project-name cf-office-hours`):
#   rollback_to = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90"
# Removing it deploys the directory again.

# A preview of a branch, served at its alias URL.
resource "officehours_pages_deployment" "preview" {
  project_name = officehours_pages_project.web.name
  directory    = "${path.module}/apps/web/dist"
  branch       = "feature/booking-calendar"
}

variable "commit_sha" {
  type    = string
  default = null
}

output "preview_url" {
  value = officehours_pages_deployment.preview.alias_url
}
