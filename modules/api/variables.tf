variable "name" {
  description = "Worker script name, for example `cf-office-hours-api-production` (lowercase letters, digits, `-` and `_`, at most 63). KV namespace titles start with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_-]{1,63}$", var.name))
    error_message = "name must be 1 to 63 lowercase letters, digits, - or _ (a Workers script name)."
  }
}

variable "main_module" {
  description = "Path of the worker's main ES module (the built bundle, for example `dist/index.js`). Only its content is tracked, by hash."
  type        = string

  validation {
    condition     = can(regex("\\.m?js$", var.main_module)) && fileexists(var.main_module)
    error_message = "main_module must be the path of an existing .js or .mjs file."
  }
}

variable "modules" {
  description = "Paths of further modules of the bundle (ES modules, source maps, WebAssembly, text), under the main module's directory."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for m in var.modules : fileexists(m)])
    error_message = "Every entry of modules must be the path of an existing file."
  }
}

variable "compatibility_date" {
  description = "Workers runtime compatibility date, `YYYY-MM-DD` (not in the future; the provider checks that)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.compatibility_date)) && can(formatdate("YYYY", "${var.compatibility_date}T00:00:00Z"))
    error_message = "compatibility_date must be a date written YYYY-MM-DD, for example 2025-03-11."
  }
}

variable "compatibility_flags" {
  description = "Workers runtime compatibility flags, for example `[\"nodejs_compat\"]`."
  type        = set(string)
  default     = []
  nullable    = false
}

variable "vars" {
  description = "Plain-text variables by binding name (for example `ENVIRONMENT`). Not for secrets: use `secret_names` and `secret_values`."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.vars) : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", k))])
    error_message = "Every key of vars must be a JavaScript identifier (a binding name such as ENVIRONMENT)."
  }
}

variable "json_vars" {
  description = "JSON variables by binding name; each value is JSON text, for example `jsonencode({ rpm = 60 })`."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.json_vars : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", k)) && can(jsondecode(v))])
    error_message = "Every key of json_vars must be a JavaScript identifier and every value JSON text (use jsonencode)."
  }
}

variable "kv_namespaces" {
  description = "Binding names of the KV namespaces the worker gets, for example `[\"CACHE\", \"RATE_LIMIT\"]`. Each namespace is created with the title `<name>-<binding>`, as `wrangler kv namespace create` names it for this worker."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for b in var.kv_namespaces : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", b))])
    error_message = "Every KV binding name must be a JavaScript identifier, for example CACHE."
  }
}

variable "durable_object_classes" {
  description = "Durable Object classes the main module exports, by class name. New classes are SQLite-backed unless `storage = \"key_value\"`; `renamed_from` declares a rename."
  type = map(object({
    storage      = optional(string, "sqlite")
    renamed_from = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, v in var.durable_object_classes : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", k)) && contains(["sqlite", "key_value"], v.storage)])
    error_message = "Durable Object class names must be JavaScript class names and storage must be \"sqlite\" or \"key_value\"."
  }
}

variable "durable_object_bindings" {
  description = "Durable Object namespace bindings by binding name, for example `{ SLOT_GENERATOR = { class_name = \"SlotGenerator\" } }`. A class of this worker must be in `durable_object_classes`; a class of another worker names it in `script_name`."
  type = map(object({
    class_name  = string
    script_name = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.durable_object_bindings) : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", k))])
    error_message = "Every Durable Object binding name must be a JavaScript identifier, for example SLOT_GENERATOR."
  }

  validation {
    condition     = alltrue([for b in values(var.durable_object_bindings) : b.script_name != null || contains(keys(var.durable_object_classes), b.class_name)])
    error_message = "A Durable Object binding to a class of this worker (no script_name) needs the class in durable_object_classes."
  }
}

variable "allow_durable_object_deletion" {
  description = "Allow applying a change that deletes Durable Object classes no longer declared, and all their stored objects."
  type        = bool
  default     = false
  nullable    = false
}

variable "secret_names" {
  description = "Names of the worker's secrets (not secret themselves: they decide which secrets exist). Their values come from `secret_values`."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.secret_names : can(regex("^[A-Za-z_$][A-Za-z0-9_$]*$", s))])
    error_message = "Every secret name must be a JavaScript identifier, for example JWT_SECRET."
  }
}

variable "secret_values" {
  description = "Secret values by name, one for every entry of `secret_names`. Ephemeral and sensitive: written to Cloudflare through write-only attributes, never stored in the plan or the state."
  type        = map(string)
  default     = {}
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(setsubtract(var.secret_names, keys(var.secret_values))) == 0
    error_message = "secret_values needs a value for every name in secret_names (${join(", ", sort(var.secret_names))})."
  }
}

variable "secret_versions" {
  description = "Version number per secret name (default 1). Cloudflare never returns secret values, so a changed value is not detected: bump the number to write the secret again (rotation)."
  type        = map(number)
  default     = {}
  nullable    = false
}

variable "zone_id" {
  description = "Id of the zone the routes are in (for example from the `officehours_zone` data source). Needed when `routes` is not empty."
  type        = string
  default     = null
}

variable "routes" {
  description = "Route patterns that run this worker, for example `[\"api.officehours.youcanjustdothings.io/*\"]`: a lowercase host in the zone with an optional leading wildcard, then an optional path that may end in `*`."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.routes : can(regex("^(\\*\\.?)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z][a-z0-9-]*[a-z0-9](/[^*\\s]*\\*?)?$", r))])
    error_message = "Every route must be a lowercase host with an optional leading wildcard, then an optional path with * only at its end, for example api.example.com/*."
  }

  validation {
    condition     = length(var.routes) == 0 || var.zone_id != null
    error_message = "routes need zone_id."
  }
}

variable "deployment" {
  description = "Null (the default): each upload deploys at once to all traffic, as `wrangler deploy` does. Set, an upload only adds a version (`wrangler versions upload`) and these `versions` serve: one or two, each a `version_id` (omitted: the version uploaded from this configuration) and a `percentage`, adding up to 100, with a `message`; `force` deploys versions whose secrets differ from those serving. A gradual release is `[{ percentage = 10 }, { version_id = \"<serving>\", percentage = 90 }]`, then `[{ percentage = 100 }]`; a rollback is `[{ version_id = \"<earlier>\", percentage = 100 }]`. A Durable Object class change needs it null for that apply."
  type = object({
    versions = list(object({
      version_id = optional(string)
      percentage = number
    }))
    message = optional(string)
    force   = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.deployment == null ? true : length(var.deployment.versions) >= 1 && length(var.deployment.versions) <= 2 && abs(sum(concat([0], [for v in var.deployment.versions : v.percentage])) - 100) < 0.001
    error_message = "deployment.versions must name one or two versions whose percentages add up to 100."
  }

  validation {
    condition     = var.deployment == null ? true : length([for v in var.deployment.versions : v if v.version_id == null]) <= 1
    error_message = "At most one of deployment.versions may leave version_id out (it stands for the version uploaded from this configuration)."
  }
}
