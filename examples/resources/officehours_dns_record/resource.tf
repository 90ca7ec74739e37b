data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
}

# Cloudflare creates no DNS record for a Pages custom domain: it stays
# pending until its name is a CNAME to the project. Create the record, then
# the domain, which depends on it.
resource "officehours_dns_record" "web" {
  zone_id = data.officehours_zone.main.id
  type    = "CNAME"
  name    = "officehours.youcanjustdothings.io" # the apex works through CNAME flattening
  content = officehours_pages_project.web.subdomain
  proxied = true
  comment = "CF Office Hours web app"
}

resource "officehours_pages_domain" "web" {
  project_name    = officehours_pages_project.web.name
  name            = officehours_dns_record.web.name
  wait_for_active = true
}

# Mail for the zone, and the SPF record that goes with it.
resource "officehours_dns_record" "mx" {
  zone_id  = data.officehours_zone.main.id
  type     = "MX"
  name     = "officehours.youcanjustdothings.io"
  content  = "mx.example.com"
  priority = 10
  ttl      = 3600
}

resource "officehours_dns_record" "spf" {
  zone_id = data.officehours_zone.main.id
  type    = "TXT"
  name    = "officehours.youcanjustdothings.io"
  content = "v=spf1 include:example.com -all"
}
