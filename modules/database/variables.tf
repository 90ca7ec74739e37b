variable "migrations_directory" {
  description = "Directory of the Supabase migration files (`<version>_<name>.sql`), usually `\"$${path.module}/supabase/migrations\"`. They are applied in version order, sharing the Supabase CLI's history table."
  type        = string

  validation {
    condition     = length(fileset(var.migrations_directory, "*.sql")) > 0
    error_message = "migrations_directory must be a directory with at least one .sql migration file."
  }
}

variable "baseline_version" {
  description = "When adopting a database migrated without this history: the newest version it already has. Files up to it are recorded as applied without running."
  type        = string
  default     = null

  validation {
    condition     = var.baseline_version == null || can(regex("^[0-9]+$", var.baseline_version))
    error_message = "baseline_version must be a migration version: digits only, for example 20250301000000."
  }
}

variable "allow_out_of_order" {
  description = "Apply files never applied although they are older than the newest applied version (the Supabase CLI's `--include-all`)."
  type        = bool
  default     = false
  nullable    = false
}

variable "timeouts" {
  description = "How long the migrations may take, as durations (`90s`, `30m`): `create` (first apply), `update` (later applies), `read` (reading the history at plan)."
  type = object({
    create = optional(string)
    update = optional(string)
    read   = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for t in [var.timeouts.create, var.timeouts.update, var.timeouts.read] : t == null || can(regex("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", t))])
    error_message = "timeouts must be durations such as 90s, 30m or 1h."
  }
}

variable "tables" {
  description = "Tables whose row level security Terraform manages, by table name: whether it is `enabled`, `forced` on the owner too, and disabled when the table's entry is removed (`disable_on_destroy`). Policies may only name these tables; they are taken up after the migrations ran, so a table a migration creates in the same apply works."
  type = map(object({
    schema             = optional(string, "public")
    enabled            = optional(bool, true)
    forced             = optional(bool, false)
    disable_on_destroy = optional(bool, false)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for t, v in var.tables : length(t) > 0 && length(v.schema) > 0])
    error_message = "Table and schema names must not be empty."
  }
}

variable "grants" {
  description = "Privileges of a role on a table, by any key: the `table` (a key of `tables`), the `role` (`anon`, `authenticated`, `service_role`, or another), its `privileges` on the whole table (`SELECT`, `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `REFERENCES`, `TRIGGER`) and `column_privileges` on some columns only (for example `{ UPDATE = [\"name\"] }`). Authoritative for that role on that table. Since 2026-10-30 Supabase grants new tables to no API role."
  type = map(object({
    table             = string
    role              = string
    privileges        = set(string)
    column_privileges = optional(map(set(string)), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for g in values(var.grants) : contains(keys(var.tables), g.table)])
    error_message = "Every grant's table must be a key of tables (the module takes the tables up after the migrations ran)."
  }

  validation {
    condition     = length(distinct([for g in values(var.grants) : "${g.table}/${g.role}"])) == length(var.grants)
    error_message = "Each role may be granted once per table: a grant is authoritative for its role on its table."
  }
}

variable "policies" {
  description = "Row level security policies by name (the key, unless `name` is set): the `table` (a key of `tables`), the `command` (`ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`), `permissive` or restrictive, the `roles` (null: every role), and the `using` and `with_check` SQL expressions."
  type = map(object({
    table      = string
    name       = optional(string)
    command    = optional(string, "ALL")
    permissive = optional(bool, true)
    roles      = optional(set(string))
    using      = optional(string)
    with_check = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for p in values(var.policies) : contains(keys(var.tables), p.table)])
    error_message = "Every policy's table must be a key of tables (so that the policy waits for the migrations that create it)."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : contains(["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"], p.command)])
    error_message = "A policy's command must be ALL, SELECT, INSERT, UPDATE or DELETE."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : !(p.command == "INSERT" && p.using != null) && !(contains(["SELECT", "DELETE"], p.command) && p.with_check != null)])
    error_message = "An INSERT policy takes only with_check, and SELECT and DELETE policies take only using."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : p.using != null || p.with_check != null])
    error_message = "A policy needs a using or a with_check expression."
  }

  validation {
    condition     = alltrue([for k, p in var.policies : length(coalesce(p.name, k)) <= 63])
    error_message = "Policy names must be at most 63 bytes (PostgreSQL's identifier limit)."
  }
}
