# The zone the CF Office Hours hostnames live in; its id is what
# officehours_worker_route needs.
data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}

output "zone_id" {
  value = data.officehours_zone.main.id
}
