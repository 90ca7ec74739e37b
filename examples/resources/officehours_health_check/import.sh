# Import by "<zone_id>/<id>"; GET /zones/<zone_id>/healthchecks lists the ids.
terraform import officehours_health_check.api 023e105f4ecef8ad9ca31a8372d0c353/699d98642c564d2e855e9661899b7252
