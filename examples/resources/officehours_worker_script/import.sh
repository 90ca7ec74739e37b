# Import by script name; wrangler names a Worker "<name>-<environment>" for
# `wrangler deploy --env <environment>`. Bindings, Durable Object classes and
# the code hash are read once: with main_module pointing at the bundle that is
# deployed, the next plan is empty.
terraform import officehours_worker_script.api cf-office-hours-api-production
