data "officehours_zone" "main" {
  name = "officehours.youcanjustdothings.io"
}
