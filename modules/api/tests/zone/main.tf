# Looks up the local stack's zone for the suite's routes.
terraform {
  required_providers {
    officehours = { source = "youcanjustdothings/officehours" }
  }
}

data "officehours_zone" "this" {
  name = "officehours.youcanjustdothings.io"
}

output "id" {
  value = data.officehours_zone.this.id
}
