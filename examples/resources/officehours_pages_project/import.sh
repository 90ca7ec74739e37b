# Import by project name (`wrangler pages project list` shows it). Secret
# variables are adopted as they are in Cloudflare, so the next plan is empty
# when the rest of the configuration matches.
terraform import officehours_pages_project.web cf-office-hours
