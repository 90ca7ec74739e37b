# The CF Office Hours schema, from the directory the Supabase CLI uses. The
# plan lists the files the apply will run (pending); `supabase migration list`
# and `supabase db push` keep working against the same history table. Use one
# such resource per database.
resource "officehours_database_migrations" "schema" {
  directory = "${path.module}/supabase/migrations"

  # Only for a database whose schema was built without the history table:
  # record the files up to this version as applied without running them.
  # baseline_version = "20250301000100"

  timeouts = {
    create = "30m"
    update = "30m"
  }
}
