# Import by "<project_name>/<deployment_id>". The next apply deploys the
# configured directory again (uploading only what Cloudflare lacks).
terraform import officehours_pages_deployment.web cf-office-hours/0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90
