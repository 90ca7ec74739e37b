# Since 2026-10-30 Supabase grants a new table in public to none of its API
# roles: grant what the app needs, and let row level security policies say
# which rows. (Take table from a value known after the migrations ran when a
# migration creates it in the same apply; see officehours_rls_policy.)

# Signed-in users read every profile and edit their own name only (the
# policies say whose); they cannot change their role.
resource "officehours_table_grant" "users_authenticated" {
  table             = "users"
  role              = "authenticated"
  privileges        = ["SELECT"]
  column_privileges = { UPDATE = ["name"] }
}

# The API Worker uses the service role, which bypasses row level security
# but still needs the table's privileges.
resource "officehours_table_grant" "bookings_service" {
  table      = "bookings"
  role       = "service_role"
  privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
}

# Anonymous visitors get nothing: an empty set revokes whatever anon held.
resource "officehours_table_grant" "bookings_anon" {
  table      = "bookings"
  role       = "anon"
  privileges = []
}
