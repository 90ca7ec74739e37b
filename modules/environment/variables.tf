variable "environment" {
  description = "The environment: `development` (the local stack), `staging` or `production`. It names the worker and the KV namespaces, picks the hostnames and decides what the design lets differ (see README.md)."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }
}

variable "name" {
  description = "The application's name: the Pages project is `<name>` in production and `<name>-<environment>` elsewhere; the worker is `<name>-api-<environment>`, as wrangler names a worker `<name>-api` deployed with `--env <environment>`."
  type        = string
  default     = "cf-office-hours"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,44}[a-z0-9])?$", var.name))
    error_message = "name must be 1 to 46 lowercase letters, digits and dashes, not starting or ending with a dash (the Pages project and worker names derived from it must fit their limits)."
  }
}

variable "zone_name" {
  description = "The Cloudflare zone of the hostnames: the web app is served on the zone's apex in production and on `<environment>.<zone>` elsewhere, the API on `api.<zone>` in production and `api-<environment>.<zone>` elsewhere."
  type        = string
  default     = "officehours.youcanjustdothings.io"
  nullable    = false

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.zone_name))
    error_message = "zone_name must be a lowercase domain name such as officehours.youcanjustdothings.io."
  }
}

variable "api_hostname" {
  description = "Hostname of the API instead of the convention (see `zone_name`); the worker's route is `<api_hostname>/*`. It must be in the zone."
  type        = string
  default     = null

  validation {
    condition     = var.api_hostname == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.api_hostname))
    error_message = "api_hostname must be a lowercase hostname without scheme or path."
  }
}

variable "web_domain" {
  description = "Custom domain of the web app instead of the convention (see `zone_name`)."
  type        = string
  default     = null

  validation {
    condition     = var.web_domain == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.web_domain))
    error_message = "web_domain must be a lowercase hostname without scheme or path."
  }
}

variable "worker_main_module" {
  description = "Path of the API worker's built main ES module, for example `\"$${path.module}/../app/worker/index.js\"`."
  type        = string
}

variable "worker_modules" {
  description = "Paths of further modules of the worker bundle, under the main module's directory."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "worker_vars" {
  description = "Further plain-text variables of the worker (for example `VERSION`); `ENVIRONMENT` and `SUPABASE_URL` are set by the module."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setintersection(keys(var.worker_vars), ["ENVIRONMENT", "SUPABASE_URL"])) == 0
    error_message = "worker_vars must not set ENVIRONMENT or SUPABASE_URL: the module sets them."
  }
}

variable "compatibility_date" {
  description = "Workers runtime compatibility date of the worker and of the web app's Pages Functions, `YYYY-MM-DD`."
  type        = string
  default     = "2025-03-11"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.compatibility_date)) && can(formatdate("YYYY", "${var.compatibility_date}T00:00:00Z"))
    error_message = "compatibility_date must be a date written YYYY-MM-DD."
  }
}

variable "secrets" {
  description = "The worker's secrets by name: SUPABASE_SERVICE_ROLE_KEY, SUPABASE_JWT_SECRET, GOOGLE_CLIENT_SECRET, MICROSOFT_CLIENT_SECRET, AIRTABLE_API_KEY, JWT_SECRET and WEBHOOK_SECRET. Ephemeral and sensitive: never stored in the plan or the state."
  type        = map(string)
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition = length(setsubtract([
      "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_JWT_SECRET", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_SECRET",
      "AIRTABLE_API_KEY", "JWT_SECRET", "WEBHOOK_SECRET",
    ], keys(var.secrets))) == 0
    error_message = "secrets needs a value for each of SUPABASE_SERVICE_ROLE_KEY, SUPABASE_JWT_SECRET, GOOGLE_CLIENT_SECRET, MICROSOFT_CLIENT_SECRET, AIRTABLE_API_KEY, JWT_SECRET and WEBHOOK_SECRET."
  }
}

variable "secret_versions" {
  description = "Version per secret name (default 1): bump one to write that secret again after changing its value (Cloudflare never returns values, so a change is not detected otherwise)."
  type        = map(number)
  default     = {}
  nullable    = false
}

variable "supabase_url" {
  description = "URL of the environment's Supabase project, for example `https://abcdefghijklmnop.supabase.co`: the web app's `VITE_SUPABASE_URL` and the worker's `SUPABASE_URL`."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/\\s]+/?$", var.supabase_url))
    error_message = "supabase_url must be an http(s) URL of a host, such as https://abcdefghijklmnop.supabase.co."
  }
}

variable "supabase_anon_key" {
  description = "The Supabase project's anon key, the web app's `VITE_SUPABASE_ANON_KEY` (set as an encrypted Pages variable). Ephemeral and sensitive."
  type        = string
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(var.supabase_anon_key) > 0
    error_message = "supabase_anon_key must not be empty."
  }
}

variable "git_repository" {
  description = "The GitHub repository (`owner/name`) the Pages project builds the web app from. Set it or `web_directory`."
  type        = string
  default     = null

  validation {
    condition     = var.git_repository == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.git_repository))
    error_message = "git_repository must be owner/name, for example youcanjustdothings/cf-office-hours."
  }

  validation {
    condition     = (var.git_repository == null) != (var.web_directory == null)
    error_message = "Set exactly one of git_repository (Pages builds the web app from the repository) and web_directory (the built web app is uploaded, as wrangler pages deploy does)."
  }
}

variable "web_directory" {
  description = "The built web app (for example `\"$${path.module}/../app/web/dist\"`) to deploy by direct upload, as `wrangler pages deploy apps/web/dist` does, instead of building from `git_repository`."
  type        = string
  default     = null
}

variable "web_rollback_to" {
  description = "With `web_directory`: an earlier production deployment of the web app to serve instead (Cloudflare's rollback; `terraform output web_deployment` and `wrangler pages deployment list` show the ids). Remove it to deploy the directory again."
  type        = string
  default     = null
}

variable "production_branch" {
  description = "Git branch the environment's Pages project deploys to production; default `main`, and `develop` for staging (the branch the pipeline deploys staging from)."
  type        = string
  default     = null
}

variable "migrations_directory" {
  description = "Directory of the Supabase migrations, for example `\"$${path.module}/../app/supabase/migrations\"`."
  type        = string
}

variable "avatars_bucket" {
  description = "Name of the Storage bucket of profile pictures (public to read; each signed-in user writes under the folder named by their user id)."
  type        = string
  default     = "avatars"
  nullable    = false
}

variable "api_deployment" {
  description = "Null (the default): each change of the API worker deploys at once. Set, changes upload versions and these `versions` serve, for gradual releases and rollbacks (see the api module's `deployment` and the rollback guide): one or two `{ version_id, percentage }` (an omitted version_id is the version uploaded from this configuration) adding up to 100, a `message` and `force`."
  type = object({
    versions = list(object({
      version_id = optional(string)
      percentage = number
    }))
    message = optional(string)
    force   = optional(bool, false)
  })
  default = null
}

variable "alert_emails" {
  description = "Addresses alerted when the API's health check turns unhealthy and again when it recovers (a `health_check_status_notification` policy); none creates no policy."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must be email addresses such as oncall@example.com."
  }
}

variable "health_url" {
  description = "URL of the API's health endpoint that the `api_health_endpoint` check requests after each apply; null is `https://<api_hostname>/health`. The development environment uses the local edge, `http://127.0.0.1:8787/health`."
  type        = string
  default     = null

  validation {
    condition     = var.health_url == null || can(regex("^https?://[^/]+/", var.health_url))
    error_message = "health_url must be an http:// or https:// URL with a path, such as https://api.example.com/health."
  }
}

variable "monitoring" {
  description = "Create the API's health check, its notification policy and the checks that warn when the API does not answer ok. Turn it off where the API's hostname is not reachable from where Terraform runs and no one watches it (the module's own tests)."
  type        = bool
  default     = true
  nullable    = false
}
