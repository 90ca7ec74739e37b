output "latest_version" {
  description = "Newest migration version in the database's history."
  value       = officehours_database_migrations.this.latest_version
}

output "applied_versions" {
  description = "Migration versions in the database's history, oldest first."
  value       = data.officehours_database_migrations.this.applied_versions
}

output "pending_versions" {
  description = "Versions of migration files not applied yet (empty after a successful apply)."
  value       = data.officehours_database_migrations.this.pending_versions
}

output "tables" {
  description = "Tables with managed row level security: id (`<schema>/<table>`) by table name."
  value       = tomap({ for t, r in officehours_table_rls.this : t => r.id })
}

output "policies" {
  description = "Policy id (`<schema>/<table>/<name>`) by key."
  value       = tomap({ for k, p in officehours_rls_policy.this : k => p.id })
}

output "policy_expressions" {
  description = "Each policy's expressions as PostgreSQL stores them (`using` and `with_check`, normalised), by key."
  value = tomap({ for k, p in officehours_rls_policy.this : k => {
    using      = p.using_normalized
    with_check = p.with_check_normalized
  } })
}

output "grants" {
  description = "Grant id (`<schema>/<table>/<role>`) by key."
  value       = tomap({ for k, g in officehours_table_grant.this : k => g.id })
}
