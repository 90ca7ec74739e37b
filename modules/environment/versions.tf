terraform {
  # Write-only attributes (the worker's module paths, secret values) and
  # ephemeral input variables need Terraform 1.11.
  required_version = ">= 1.11"

  required_providers {
    officehours = {
      source  = "youcanjustdothings/officehours"
      version = ">= 0.0.1"
    }
  }
}
