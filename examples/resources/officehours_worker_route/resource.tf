data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

# Requests to the API hostname run the API Worker. In a configuration that also
# manages the Worker, write script_name = officehours_worker_script.api.name so
# that Terraform creates the Worker first.
resource "officehours_worker_route" "api" {
  zone_id     = data.officehours_zone.main.id
  pattern     = "api.officehours.youcanjustdothings.io/*"
  script_name = "cf-office-hours-api-production"
}
