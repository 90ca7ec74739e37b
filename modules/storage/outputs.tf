output "buckets" {
  description = "Bucket id by name."
  value       = tomap({ for b, r in officehours_storage_bucket.this : b => r.id })
}

output "policies" {
  description = "Policy id (`storage/objects/<name>`) by key."
  value       = tomap({ for k, p in officehours_rls_policy.this : k => p.id })
}

output "policy_expressions" {
  description = "Each policy's expressions as PostgreSQL stores them (`using` and `with_check`, normalised, with the bucket condition), by key."
  value = tomap({ for k, p in officehours_rls_policy.this : k => {
    using      = p.using_normalized
    with_check = p.with_check_normalized
  } })
}
