# Import by the Worker's name: the deployment serving it now.
terraform import officehours_worker_deployment.api cf-office-hours-api-production
