# The production and staging hostnames of the web app. Both are in a zone of
# the same account, so Cloudflare adds the DNS records and certificates itself.
# In a configuration that also manages the project, write
# project_name = officehours_pages_project.web.name so that it exists first.
resource "officehours_pages_domain" "production" {
  project_name    = "cf-office-hours"
  name            = "officehours.youcanjustdothings.io"
  wait_for_active = true
}

resource "officehours_pages_domain" "staging" {
  project_name    = "cf-office-hours"
  name            = "staging.officehours.youcanjustdothings.io"
  wait_for_active = true
  wait_timeout    = "10m"
}
