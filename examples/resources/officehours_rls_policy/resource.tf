resource "officehours_table_rls" "bookings" {
  table = "bookings"
}

# Mentors and mentees see the bookings they take part in.
resource "officehours_rls_policy" "view_own_bookings" {
  table   = officehours_table_rls.bookings.table
  name    = "Users can view own bookings"
  command = "SELECT"
  roles   = ["authenticated"]
  using   = "mentor_id = auth.uid() OR mentee_id = auth.uid()"
}

# Mentees book for themselves only. Write expressions as you like: the plan
# compares them with the stored policy the way PostgreSQL parses them.
resource "officehours_rls_policy" "mentees_create_bookings" {
  table      = officehours_table_rls.bookings.table
  name       = "Mentees can create bookings"
  command    = "INSERT"
  roles      = ["authenticated"]
  with_check = <<-SQL
    mentee_id = auth.uid()
    AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentee')
  SQL
}

# A restrictive policy must pass in addition to the permissive ones.
resource "officehours_rls_policy" "only_confirmed_for_mentees" {
  table      = officehours_table_rls.bookings.table
  name       = "Mentees see confirmed bookings only"
  command    = "SELECT"
  permissive = false
  roles      = ["authenticated"]
  using      = "status = 'confirmed' OR mentor_id = auth.uid()"
}
