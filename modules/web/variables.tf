variable "name" {
  description = "Pages project name, the first label of its `*.pages.dev` subdomain: 1 to 58 lowercase letters, digits and dashes."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$", var.name))
    error_message = "name must be 1 to 58 lowercase letters, digits and dashes, not starting or ending with a dash."
  }
}

variable "production_branch" {
  description = "Git branch whose deployments are production; every other branch deploys as a preview."
  type        = string
  default     = "main"
  nullable    = false

  validation {
    condition     = length(trimspace(var.production_branch)) > 0
    error_message = "production_branch must not be empty."
  }
}

variable "node_version" {
  description = "Node.js version of the build, for example `20` (Cloudflare reads it from `NODE_VERSION`, which the provider sets)."
  type        = string
  default     = null

  validation {
    condition     = var.node_version == null || can(regex("^[0-9]+(\\.[0-9]+){0,2}$", var.node_version))
    error_message = "node_version must be a version such as 20 or 20.11.1."
  }
}

variable "build" {
  description = "Build settings: the command, the directory it writes the site to (relative to `root_directory`), the directory it runs in, and whether Cloudflare caches dependencies."
  type = object({
    command          = optional(string)
    output_directory = optional(string)
    root_directory   = optional(string, "/")
    caching          = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "git_source" {
  description = "Git repository the project builds from (`type` is `github` or `gitlab`): the production branch deploys to production, the branches `preview_deployments` selects (default all others) to previews. Null (the default) makes a direct-upload project, deployed by `deployment` (or `wrangler pages deploy`)."
  type = object({
    type                           = optional(string, "github")
    owner                          = string
    repository                     = string
    production_deployments_enabled = optional(bool, true)
    preview_deployments            = optional(string, "all")
    preview_branch_includes        = optional(list(string), ["*"])
    preview_branch_excludes        = optional(list(string), [])
    pr_comments_enabled            = optional(bool, true)
  })
  default = null

  validation {
    condition     = var.git_source == null ? true : contains(["github", "gitlab"], var.git_source.type) && contains(["all", "none", "custom"], var.git_source.preview_deployments)
    error_message = "git_source.type must be github or gitlab, and git_source.preview_deployments all, none or custom."
  }

  validation {
    condition     = var.git_source == null ? true : length(trimspace(var.git_source.owner)) > 0 && length(trimspace(var.git_source.repository)) > 0 && !strcontains(var.git_source.repository, "/")
    error_message = "git_source.owner and git_source.repository must not be empty; repository is the name alone, without the owner."
  }
}

variable "production" {
  description = "Settings of production deployments: plain-text `variables` (available to the build and to Pages Functions), and for Pages Functions a compatibility date and flags, KV and Durable Object namespace bindings (binding name to id)."
  type = object({
    variables                 = optional(map(string), {})
    compatibility_date        = optional(string)
    compatibility_flags       = optional(set(string), [])
    kv_namespaces             = optional(map(string), {})
    durable_object_namespaces = optional(map(string), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.production.variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && k != "NODE_VERSION"])
    error_message = "production.variables names must be letters, digits and underscores, not starting with a digit; set NODE_VERSION with node_version."
  }

  validation {
    condition     = var.production.compatibility_date == null || can(formatdate("YYYY", "${var.production.compatibility_date}T00:00:00Z"))
    error_message = "production.compatibility_date must be a date written YYYY-MM-DD."
  }
}

variable "preview" {
  description = "Settings of preview deployments (every branch but `production_branch`), shaped as `production`."
  type = object({
    variables                 = optional(map(string), {})
    compatibility_date        = optional(string)
    compatibility_flags       = optional(set(string), [])
    kv_namespaces             = optional(map(string), {})
    durable_object_namespaces = optional(map(string), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.preview.variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && k != "NODE_VERSION"])
    error_message = "preview.variables names must be letters, digits and underscores, not starting with a digit; set NODE_VERSION with node_version."
  }

  validation {
    condition     = var.preview.compatibility_date == null || can(formatdate("YYYY", "${var.preview.compatibility_date}T00:00:00Z"))
    error_message = "preview.compatibility_date must be a date written YYYY-MM-DD."
  }
}

variable "production_secret_variables" {
  description = "Encrypted variables of production deployments by name. Ephemeral and sensitive: written through a write-only attribute, never stored; a changed value is detected by the provider's salted fingerprint."
  type        = map(string)
  default     = {}
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = alltrue([for k in keys(var.production_secret_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !contains(keys(var.production.variables), k)])
    error_message = "production_secret_variables names must be variable names that are not also in production.variables."
  }
}

variable "preview_secret_variables" {
  description = "Encrypted variables of preview deployments by name; see `production_secret_variables`."
  type        = map(string)
  default     = {}
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = alltrue([for k in keys(var.preview_secret_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !contains(keys(var.preview.variables), k)])
    error_message = "preview_secret_variables names must be variable names that are not also in preview.variables."
  }
}

variable "domains" {
  description = "Custom domains of the project, lowercase hostnames such as `staging.officehours.youcanjustdothings.io`. Cloudflare creates no DNS record for them: with `manage_dns` (the default) the module creates a proxied CNAME to the project's subdomain for each, in the zone `zone_id` (or `zone_name`) names."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for d in var.domains : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", d))])
    error_message = "Every domain must be a lowercase hostname such as www.example.com (no scheme, no path)."
  }
}

variable "manage_dns" {
  description = "Create each domain's CNAME record (proxied, to the project's `*.pages.dev` subdomain). Set false when the records are managed elsewhere, for example at another DNS provider."
  type        = bool
  default     = true
  nullable    = false
}

variable "zone_id" {
  description = "Id of the Cloudflare zone that holds the domains, for their CNAME records. Leave null to look it up by `zone_name`."
  type        = string
  default     = null
}

variable "zone_name" {
  description = "Name of the zone that holds the domains, looked up when `zone_id` is null, for example `officehours.youcanjustdothings.io`."
  type        = string
  default     = null
}

variable "wait_for_active" {
  description = "Wait, when a domain is added, until Cloudflare reports it active; the apply fails with the DNS record to create or correct when it does not become active in `wait_timeout`."
  type        = bool
  default     = true
  nullable    = false
}

variable "wait_timeout" {
  description = "How long `wait_for_active` waits, as a duration such as `10m`."
  type        = string
  default     = "15m"
  nullable    = false

  validation {
    condition     = can(regex("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", var.wait_timeout))
    error_message = "wait_timeout must be a duration such as 90s, 10m or 1h."
  }
}

variable "deployment" {
  description = "For a direct-upload project (no `git_source`): the built site to deploy (`directory`, for example `apps/web/dist`), the `branch` it is for (default the production branch; any other makes a preview), `commit_hash` and `commit_message` to show with it, and `rollback_to`, an earlier production deployment's id to serve instead (Cloudflare's rollback). Only the files Cloudflare lacks are uploaded."
  type = object({
    directory      = string
    branch         = optional(string)
    commit_hash    = optional(string)
    commit_message = optional(string)
    rollback_to    = optional(string)
  })
  default = null

  validation {
    condition     = var.deployment == null || var.git_source == null
    error_message = "deployment is for direct-upload projects: a project with git_source is deployed from its repository. Remove one of the two."
  }
}
