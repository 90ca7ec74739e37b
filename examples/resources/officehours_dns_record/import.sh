# Import by "<zone_id>/<record_id>". A zone's record ids are listed by
# GET /zones/<zone_id>/dns_records?name.exact=<name> (the dashboard shows
# them in a record's details).
terraform import officehours_dns_record.web 023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59
