# Import by the bucket id, which is its name for buckets created by
# storage-js, the CLI or the dashboard.
terraform import officehours_storage_bucket.avatars avatars
