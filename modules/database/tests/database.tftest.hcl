# Real applies against the local stack's PostgreSQL. make module-test gives
# this suite a database of its own (a fresh copy of the Supabase fixture),
# since migrations, unlike Cloudflare objects, cannot be told apart by name.

provider "officehours" {}

variables {
  migrations_directory = "tests/fixtures/migrations"
  tables = {
    oh_test_notes = {}
    oh_test_tags  = { forced = true }
  }
  grants = {
    notes = { table = "oh_test_notes", role = "authenticated", privileges = ["SELECT", "INSERT"] }
    tags  = { table = "oh_test_tags", role = "authenticated", privileges = ["SELECT"], column_privileges = { INSERT = ["note_id", "tag"] } }
  }
  policies = {
    "Owners can read their notes" = {
      table   = "oh_test_notes"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "owner_id = auth.uid() OR shared"
    }
    "Owners can add notes" = {
      table      = "oh_test_notes"
      command    = "INSERT"
      roles      = ["authenticated"]
      with_check = "owner_id = auth.uid()"
    }
    tags_of_own_notes = {
      table = "oh_test_tags"
      name  = "Tags follow their note"
      roles = ["authenticated"]
      using = "EXISTS (SELECT 1 FROM oh_test_notes n WHERE n.id = note_id AND n.owner_id = auth.uid())"
    }
  }
}

# Migrations, RLS and policies in one apply, although the tables do not
# exist when it is planned.
run "apply" {
  assert {
    condition     = output.latest_version == "20240102000000"
    error_message = "latest_version: ${output.latest_version}"
  }
  assert {
    condition     = output.applied_versions == tolist(["20240101000000", "20240102000000"]) && length(output.pending_versions) == 0
    error_message = "applied: ${jsonencode(output.applied_versions)}, pending: ${jsonencode(output.pending_versions)}"
  }
  assert {
    condition     = output.tables == tomap({ oh_test_notes = "public/oh_test_notes", oh_test_tags = "public/oh_test_tags" })
    error_message = "tables: ${jsonencode(output.tables)}"
  }
  assert {
    condition     = officehours_table_rls.this["oh_test_tags"].enabled && officehours_table_rls.this["oh_test_tags"].forced && !officehours_table_rls.this["oh_test_notes"].forced
    error_message = "row level security settings were not applied"
  }
  assert {
    condition     = output.policies["tags_of_own_notes"] == "public/oh_test_tags/Tags follow their note"
    error_message = "policies: ${jsonencode(output.policies)}"
  }
  assert {
    condition     = output.policy_expressions["Owners can read their notes"].using == "((owner_id = auth.uid()) OR shared)"
    error_message = "using as stored: ${output.policy_expressions["Owners can read their notes"].using}"
  }
  assert {
    condition     = officehours_rls_policy.this["Owners can add notes"].command == "INSERT" && output.policy_expressions["Owners can add notes"].with_check == "(owner_id = auth.uid())"
    error_message = "the INSERT policy is not as configured"
  }
  assert {
    condition     = output.grants["notes"] == "public/oh_test_notes/authenticated" && officehours_table_grant.this["tags"].column_privileges["INSERT"] == toset(["note_id", "tag"])
    error_message = "grants: ${jsonencode(output.grants)}"
  }
}

# Nothing pending, nothing to change: the policies compare as PostgreSQL
# prints them, the tables are known now.
run "second_plan" {
  command = plan

  assert {
    condition     = output.applied_versions == tolist(["20240101000000", "20240102000000"]) && output.latest_version == "20240102000000"
    error_message = "the second plan would migrate again"
  }
  assert {
    condition     = output.policy_expressions["Owners can read their notes"].using == "((owner_id = auth.uid()) OR shared)"
    error_message = "the policy would change"
  }
}

# A changed expression is altered in place; a removed policy is dropped.
run "change_policies" {
  variables {
    policies = {
      "Owners can read their notes" = {
        table   = "oh_test_notes"
        command = "SELECT"
        roles   = ["authenticated"]
        using   = "owner_id = auth.uid()"
      }
    }
  }

  assert {
    condition     = keys(output.policies) == tolist(["Owners can read their notes"]) && output.policy_expressions["Owners can read their notes"].using == "(owner_id = auth.uid())"
    error_message = "policies: ${jsonencode(output.policy_expressions)}"
  }
}
