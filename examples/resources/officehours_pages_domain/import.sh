# Import by "<project_name>/<domain>". Import records wait_for_active = false
# and wait_timeout = "15m"; a configuration that sets them otherwise plans an
# in-place update that only records them (they matter when a domain is added).
terraform import officehours_pages_domain.staging cf-office-hours/staging.officehours.youcanjustdothings.io
