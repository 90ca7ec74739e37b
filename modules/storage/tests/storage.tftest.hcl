# Real applies against the local stack: buckets through its Storage API,
# policies in the database make module-test gives this suite (a fresh copy of
# the Supabase fixture). Bucket names start with oh-test-storage, so that
# they never meet the development environment's. Destroyed at the end.

provider "officehours" {}

variables {
  buckets = {
    oh-test-storage-avatars = { public = true, file_size_limit = 1048576, allowed_mime_types = ["image/*"] }
    oh-test-storage-notes   = { force_destroy = true }
  }
  policies = {
    "Users upload their own avatar" = {
      bucket     = "oh-test-storage-avatars"
      command    = "INSERT"
      roles      = ["authenticated"]
      with_check = "(storage.foldername(name))[1] = auth.uid()::text"
    }
    "Users replace their own avatar" = {
      bucket  = "oh-test-storage-avatars"
      command = "UPDATE"
      roles   = ["authenticated"]
      using   = "(storage.foldername(name))[1] = auth.uid()::text"
    }
    own_notes = {
      bucket  = "oh-test-storage-notes"
      name    = "Users read their notes"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "owner_id = auth.uid()::text"
    }
  }
}

run "apply" {
  assert {
    condition     = output.buckets == tomap({ oh-test-storage-avatars = "oh-test-storage-avatars", oh-test-storage-notes = "oh-test-storage-notes" })
    error_message = "buckets: ${jsonencode(output.buckets)}"
  }
  assert {
    condition     = officehours_storage_bucket.this["oh-test-storage-avatars"].public && !officehours_storage_bucket.this["oh-test-storage-notes"].public
    error_message = "only the avatars bucket is public"
  }
  assert {
    condition     = output.policies["own_notes"] == "storage/objects/Users read their notes"
    error_message = "policies: ${jsonencode(output.policies)}"
  }
  # Each expression is confined to its bucket, as PostgreSQL stores it
  # (which qualifies foldername only when storage is not on the search path).
  assert {
    condition     = can(regex("^\\(\\(bucket_id = 'oh-test-storage-avatars'::text\\) AND \\(\\((storage\\.)?foldername\\(name\\)\\)\\[1\\] = \\(auth\\.uid\\(\\)\\)::text\\)\\)$", output.policy_expressions["Users upload their own avatar"].with_check)) && output.policy_expressions["Users upload their own avatar"].using == null
    error_message = "insert policy: ${jsonencode(output.policy_expressions["Users upload their own avatar"])}"
  }
  assert {
    condition     = can(regex("^\\(\\(bucket_id = 'oh-test-storage-avatars'::text\\) AND \\(\\((storage\\.)?foldername\\(name\\)\\)\\[1\\] = \\(auth\\.uid\\(\\)\\)::text\\)\\)$", output.policy_expressions["Users replace their own avatar"].using)) && output.policy_expressions["Users replace their own avatar"].with_check == null
    error_message = "update policy: ${jsonencode(output.policy_expressions["Users replace their own avatar"])}"
  }
  assert {
    condition     = output.policy_expressions["own_notes"].using == "((bucket_id = 'oh-test-storage-notes'::text) AND (owner_id = (auth.uid())::text))"
    error_message = "select policy: ${jsonencode(output.policy_expressions["own_notes"])}"
  }
}

# The bucket settings and the expressions as stored compare equal.
run "second_plan" {
  command = plan

  assert {
    condition     = output.buckets == run.apply.buckets
    error_message = "the second plan changed the buckets"
  }
}

# Settings change in place; a bucket that holds no objects is destroyed
# with or without force_destroy.
run "update_in_place" {
  variables {
    buckets = {
      oh-test-storage-avatars = { public = false, allowed_mime_types = ["image/png", "image/jpeg"] }
      oh-test-storage-notes   = { force_destroy = true }
    }
  }

  assert {
    condition     = !officehours_storage_bucket.this["oh-test-storage-avatars"].public && officehours_storage_bucket.this["oh-test-storage-avatars"].file_size_limit == null
    error_message = "the avatars bucket was not updated"
  }
  assert {
    condition     = officehours_storage_bucket.this["oh-test-storage-avatars"].allowed_mime_types == toset(["image/png", "image/jpeg"])
    error_message = "allowed_mime_types: ${jsonencode(officehours_storage_bucket.this["oh-test-storage-avatars"].allowed_mime_types)}"
  }
}
