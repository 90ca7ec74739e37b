variable "buckets" {
  description = "Storage buckets by name (for example `avatars`): whether objects are `public` (served to anyone by URL), the largest object in bytes (`file_size_limit`, default the project's limit), the `allowed_mime_types` (such as `image/*`, default any) and `force_destroy` (let a destroy delete the objects with the bucket; default `false`, which refuses to destroy a bucket that is not empty)."
  type = map(object({
    public             = optional(bool, false)
    file_size_limit    = optional(number)
    allowed_mime_types = optional(set(string))
    force_destroy      = optional(bool, false)
  }))
  default  = {}
  nullable = false
}

variable "policies" {
  description = "Row level security policies on `storage.objects`, by name (or set `name`): the `bucket` they apply to (a key of `buckets`), the `command` (`SELECT`, `INSERT`, `UPDATE`, `DELETE` or `ALL`), the `roles`, and `using` / `with_check` expressions. The module confines each to its bucket (`bucket_id = '<bucket>' AND (<expression>)`); an omitted expression means the whole bucket for those roles. `(storage.foldername(name))[1] = auth.uid()::text` limits a user to the folder named by their user id."
  type = map(object({
    bucket     = string
    command    = string
    roles      = set(string)
    name       = optional(string)
    permissive = optional(bool, true)
    using      = optional(string)
    with_check = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for p in values(var.policies) : contains(keys(var.buckets), p.bucket)])
    error_message = "Every policy's bucket must be a key of buckets: a policy confined to a bucket the module does not manage would follow none of its changes."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : contains(["SELECT", "INSERT", "UPDATE", "DELETE", "ALL"], p.command)])
    error_message = "Every policy's command must be SELECT, INSERT, UPDATE, DELETE or ALL (upper case)."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : !(p.command == "INSERT" && p.using != null) && !(contains(["SELECT", "DELETE"], p.command) && p.with_check != null)])
    error_message = "An INSERT policy takes only with_check, and SELECT and DELETE policies take only using (PostgreSQL's CREATE POLICY)."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : length(p.roles) > 0])
    error_message = "Every policy needs its roles, for example [\"authenticated\"]: a policy without roles would apply to every role, the anonymous key's included."
  }
}
