# Import by "<script_name>/<secret_name>" (`wrangler secret list --env
# production` lists the names). Cloudflare never returns secret values, so
# import adopts the secret without its value.
terraform import 'officehours_worker_secret.api["JWT_SECRET"]' cf-office-hours-api-production/JWT_SECRET
