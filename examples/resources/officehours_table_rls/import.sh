# Import by "<schema>/<table>". Inside a name, write "%2F" for "/" and "%25"
# for "%"; spaces, dots and quotes stay as they are.
terraform import officehours_table_rls.bookings public/bookings
