# Import by "<zone_id>/<route_id>". The route ids of a zone are listed by
# GET /zones/<zone_id>/workers/routes (the dashboard's Workers Routes page).
terraform import officehours_worker_route.api 023e105f4ecef8ad9ca31a8372d0c353/9a7806061c88ada191ed06f989cc3dac
