# Import by the policy id; GET /accounts/<account_id>/alerting/v3/policies lists them.
terraform import officehours_notification_policy.api_health 0da2b59e-f118-439d-8097-bdfb215203c9
