terraform {
  required_version = ">= 1.11"

  required_providers {
    officehours = {
      source  = "youcanjustdothings/officehours"
      version = ">= 0.0.1"
    }
  }
}
