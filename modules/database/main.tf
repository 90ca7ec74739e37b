# The database of one environment: the Supabase migrations, then row level
# security and policies on the tables they create.

resource "officehours_database_migrations" "this" {
  directory          = var.migrations_directory
  baseline_version   = var.baseline_version
  allow_out_of_order = var.allow_out_of_order
  timeouts = {
    create = var.timeouts.create
    update = var.timeouts.update
    read   = var.timeouts.read
  }
}

# The provider's recipe for tables created in the same apply: a value known
# only once the migrations ran, so the plan-time table checks wait for the
# apply when the table is new, and compare as usual afterwards.
resource "terraform_data" "table" {
  for_each = var.tables

  input      = each.key
  depends_on = [officehours_database_migrations.this]
}

resource "officehours_table_rls" "this" {
  for_each = var.tables

  schema             = each.value.schema
  table              = terraform_data.table[each.key].output
  enabled            = each.value.enabled
  forced             = each.value.forced
  disable_on_destroy = each.value.disable_on_destroy
}

# Since 2026-10-30 Supabase grants new tables to none of its API roles: who
# reaches a table through the Data API is these grants plus the policies.
resource "officehours_table_grant" "this" {
  for_each = var.grants

  schema            = var.tables[each.value.table].schema
  table             = terraform_data.table[each.value.table].output
  role              = each.value.role
  privileges        = each.value.privileges
  column_privileges = length(each.value.column_privileges) > 0 ? each.value.column_privileges : null
}

resource "officehours_rls_policy" "this" {
  for_each = var.policies

  schema     = var.tables[each.value.table].schema
  table      = terraform_data.table[each.value.table].output
  name       = coalesce(each.value.name, each.key)
  command    = each.value.command
  permissive = each.value.permissive
  roles      = each.value.roles
  using      = each.value.using
  with_check = each.value.with_check

  # After the grants, so that a policy's role can reach its table.
  depends_on = [officehours_table_grant.this]
}

# What the history table holds after the apply, for the outputs.
data "officehours_database_migrations" "this" {
  directory  = var.migrations_directory
  depends_on = [officehours_database_migrations.this]
}
