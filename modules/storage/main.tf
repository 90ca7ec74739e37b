# Supabase Storage of one environment: buckets through the Storage API, and
# who may touch their objects as policies on storage.objects, each confined
# to its bucket.

locals {
  # A policy on storage.objects covers every bucket unless its expressions
  # say otherwise, so the module puts the bucket's condition in front of each
  # expression: no policy reaches another bucket by omission. Which
  # expressions a command takes is PostgreSQL's rule: USING for rows read or
  # deleted, WITH CHECK for rows written; UPDATE and ALL take both, and
  # without a WITH CHECK PostgreSQL checks new rows with their USING.
  in_bucket = { for k, p in var.policies : k => "bucket_id = '${replace(p.bucket, "'", "''")}'" }
  scoped = { for k, p in var.policies : k => {
    using = p.command == "INSERT" ? null : (
      p.using == null ? local.in_bucket[k] : "${local.in_bucket[k]} AND (${p.using})"
    )
    with_check = contains(["SELECT", "DELETE"], p.command) || (p.with_check == null && p.command != "INSERT") ? null : (
      p.with_check == null ? local.in_bucket[k] : "${local.in_bucket[k]} AND (${p.with_check})"
    )
  } }
}

resource "officehours_storage_bucket" "this" {
  for_each = var.buckets

  name               = each.key
  public             = each.value.public
  file_size_limit    = each.value.file_size_limit
  allowed_mime_types = each.value.allowed_mime_types
  force_destroy      = each.value.force_destroy
}

resource "officehours_rls_policy" "this" {
  for_each = var.policies

  schema     = "storage"
  table      = "objects"
  name       = coalesce(each.value.name, each.key)
  command    = each.value.command
  permissive = each.value.permissive
  roles      = each.value.roles
  using      = local.scoped[each.key].using
  with_check = local.scoped[each.key].with_check

  # Policies name their bucket: created after it, removed before it.
  depends_on = [officehours_storage_bucket.this]
}
