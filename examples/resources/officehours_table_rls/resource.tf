# Row level security on the CF Office Hours bookings table. With it enabled,
# the API roles (anon, authenticated) see only what policies allow.
resource "officehours_table_rls" "bookings" {
  table = "bookings"
}

# Also apply policies to the table owner, and switch row level security off
# again if this resource is ever destroyed (the default leaves it enabled).
resource "officehours_table_rls" "audit_log" {
  schema             = "private"
  table              = "audit_log"
  forced             = true
  disable_on_destroy = true
}
