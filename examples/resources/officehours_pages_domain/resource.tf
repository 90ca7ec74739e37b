data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

# The production and staging hostnames of the web app. Cloudflare creates no
# DNS record for a Pages domain, not even in a zone of the same account: each
# needs a CNAME to the project's pages.dev subdomain, created first. (In a
# configuration that also manages the project, take project_name and content
# from officehours_pages_project.web.)
resource "officehours_dns_record" "web" {
  for_each = toset(["officehours.youcanjustdothings.io", "staging.officehours.youcanjustdothings.io"])

  zone_id = data.officehours_zone.main.id
  type    = "CNAME"
  name    = each.key
  content = "cf-office-hours.pages.dev"
  proxied = true
}

resource "officehours_pages_domain" "production" {
  project_name    = "cf-office-hours"
  name            = "officehours.youcanjustdothings.io"
  wait_for_active = true
  depends_on      = [officehours_dns_record.web]
}

resource "officehours_pages_domain" "staging" {
  project_name    = "cf-office-hours"
  name            = "staging.officehours.youcanjustdothings.io"
  wait_for_active = true
  timeouts        = { create = "10m" }
  depends_on      = [officehours_dns_record.web]
}
