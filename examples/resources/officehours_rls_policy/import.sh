# Import by "<schema>/<table>/<policy name>", quoted for the shell. Inside a
# name, write "%2F" for "/" and "%25" for "%"; spaces, dots and quotes stay as
# they are. Import records the expressions in PostgreSQL's form; the next plan
# compares your configuration with them and shows no change when they match.
terraform import officehours_rls_policy.view_own_bookings "public/bookings/Users can view own bookings"

# A policy "Staff v2.1 can read" on the table "audit.log" of schema "private":
terraform import officehours_rls_policy.staff_read_audit "private/audit.log/Staff v2.1 can read"
