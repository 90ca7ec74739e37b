# Import by the migrations directory as `directory` evaluates (in the root
# module "${path.module}/supabase/migrations" is "./supabase/migrations").
# Import reads the history table supabase_migrations.schema_migrations; the
# next plan lists the files not in it yet, and nothing runs before an apply.
terraform import officehours_database_migrations.schema ./supabase/migrations
