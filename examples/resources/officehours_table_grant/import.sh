# Import by "<schema>/<table>/<role>" (a "/" or "%" inside a name is written
# %2F or %25).
terraform import officehours_table_grant.users_authenticated public/users/authenticated
