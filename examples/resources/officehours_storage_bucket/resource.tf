# Profile pictures: anyone may read them by URL, only images up to 2 MiB.
resource "officehours_storage_bucket" "avatars" {
  name               = "avatars"
  public             = true
  file_size_limit    = 2 * 1024 * 1024
  allowed_mime_types = ["image/*"]
}

# Who may write is decided by policies on storage.objects: a signed-in user
# uploads, replaces and deletes only under a folder named by their user id,
# for example avatars/<user id>/profile.png.
locals {
  own_avatar_folder = "bucket_id = 'avatars' AND (storage.foldername(name))[1] = auth.uid()::text"
}

resource "officehours_rls_policy" "avatars_insert" {
  schema     = "storage"
  table      = "objects"
  name       = "Users upload their own avatar"
  command    = "INSERT"
  roles      = ["authenticated"]
  with_check = local.own_avatar_folder
}

resource "officehours_rls_policy" "avatars_update" {
  schema     = "storage"
  table      = "objects"
  name       = "Users replace their own avatar"
  command    = "UPDATE"
  roles      = ["authenticated"]
  using      = local.own_avatar_folder
  with_check = local.own_avatar_folder
}

resource "officehours_rls_policy" "avatars_delete" {
  schema  = "storage"
  table   = "objects"
  name    = "Users delete their own avatar"
  command = "DELETE"
  roles   = ["authenticated"]
  using   = local.own_avatar_folder
}

# Session recordings, kept private: the bucket holds objects, so destroying it
# must be allowed explicitly, and it deletes them.
resource "officehours_storage_bucket" "recordings" {
  name               = "session-recordings"
  allowed_mime_types = ["video/mp4", "video/webm"]
  force_destroy      = true
}
