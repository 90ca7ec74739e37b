# Import by namespace id (wrangler kv namespace list shows it).
terraform import officehours_kv_namespace.cache 0f2ac74b498b48028cb68387c421e279
