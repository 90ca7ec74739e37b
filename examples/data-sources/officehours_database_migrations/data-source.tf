# What the database has applied from the migrations directory, for outputs and
# checks. It only reads (one query); officehours_database_migrations applies.
data "officehours_database_migrations" "schema" {
  directory = "${path.module}/supabase/migrations"
}

output "schema_version" {
  value = data.officehours_database_migrations.schema.latest_version
}

# Warn on every plan and apply while files are not applied, for example in a
# configuration that deploys code expecting the newest schema. (A
# precondition on that resource would stop the plan instead.)
check "schema_migrated" {
  assert {
    condition     = length(data.officehours_database_migrations.schema.pending_versions) == 0
    error_message = "Migrations not applied yet: ${join(", ", data.officehours_database_migrations.schema.pending_versions)}."
  }
}
