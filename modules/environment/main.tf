# CF Office Hours in one environment: the API worker, the web app and the
# database, named and set up the way the deployment design has them.

locals {
  production = var.environment == "production"

  # Where the environments differ, as the design has it.
  settings = {
    development = { slot_generator = true, analytics = false, production_branch = "main" }
    staging     = { slot_generator = false, analytics = false, production_branch = "develop" }
    production  = { slot_generator = true, analytics = true, production_branch = "main" }
  }[var.environment]

  # Naming: wrangler's `<worker>-<environment>`, a production that owns the
  # plain names and hostnames, other environments that say which they are.
  worker_name  = "${var.name}-api-${var.environment}"
  project_name = local.production ? var.name : "${var.name}-${var.environment}"
  api_hostname = coalesce(var.api_hostname, local.production ? "api.${var.zone_name}" : "api-${var.environment}.${var.zone_name}")
  web_domain   = coalesce(var.web_domain, local.production ? var.zone_name : "${var.environment}.${var.zone_name}")
  health_url   = coalesce(var.health_url, "https://${local.api_hostname}/health")

  secret_names = [
    "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_JWT_SECRET", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_SECRET",
    "AIRTABLE_API_KEY", "JWT_SECRET", "WEBHOOK_SECRET",
  ]

  # A storage object's first folder is its owner's user id.
  own_folder = "(storage.foldername(name))[1] = auth.uid()::text"

  # The web app's build-time variables; previews never send analytics.
  web_variables = {
    VITE_API_BASE_URL    = "https://${local.api_hostname}"
    VITE_SUPABASE_URL    = trimsuffix(var.supabase_url, "/")
    VITE_ENABLE_REALTIME = "true"
  }
}

data "officehours_zone" "this" {
  name = var.zone_name
}

module "api" {
  source = "../api"

  name                = local.worker_name
  main_module         = var.worker_main_module
  modules             = var.worker_modules
  compatibility_date  = var.compatibility_date
  compatibility_flags = ["nodejs_compat"]
  vars = merge(var.worker_vars, {
    ENVIRONMENT  = var.environment
    SUPABASE_URL = trimsuffix(var.supabase_url, "/")
  })
  kv_namespaces = ["CACHE", "RATE_LIMIT"]

  durable_object_classes  = local.settings.slot_generator ? { SlotGenerator = {} } : {}
  durable_object_bindings = local.settings.slot_generator ? { SLOT_GENERATOR = { class_name = "SlotGenerator" } } : {}

  secret_names    = local.secret_names
  secret_values   = var.secrets
  secret_versions = var.secret_versions

  zone_id = data.officehours_zone.this.id
  routes  = ["${local.api_hostname}/*"]

  deployment = var.api_deployment
}

module "web" {
  source = "../web"

  name              = local.project_name
  production_branch = coalesce(var.production_branch, local.settings.production_branch)
  node_version      = "20"
  build = {
    command          = "npm run build --workspace=apps/web"
    output_directory = "apps/web/dist"
    root_directory   = "/"
  }
  # Built from the repository by Pages, or deployed from a built directory.
  git_source = var.git_repository == null ? null : {
    owner      = split("/", var.git_repository)[0]
    repository = split("/", var.git_repository)[1]
  }
  deployment = var.web_directory == null ? null : {
    directory   = var.web_directory
    rollback_to = var.web_rollback_to
  }

  production = {
    variables          = merge(local.web_variables, { VITE_ENABLE_ANALYTICS = tostring(local.settings.analytics) })
    compatibility_date = var.compatibility_date
  }
  preview = {
    variables          = merge(local.web_variables, { VITE_ENABLE_ANALYTICS = "false" })
    compatibility_date = var.compatibility_date
  }
  production_secret_variables = { VITE_SUPABASE_ANON_KEY = var.supabase_anon_key }
  preview_secret_variables    = { VITE_SUPABASE_ANON_KEY = var.supabase_anon_key }

  domains = [local.web_domain]
  zone_id = data.officehours_zone.this.id
}

module "database" {
  source = "../database"

  migrations_directory = var.migrations_directory

  tables = {
    users    = {}
    bookings = {}
  }

  # Signed-in users read profiles and bookings, edit their own name (the
  # policies say whose), and book; the Worker's service role does the rest.
  grants = {
    users_authenticated    = { table = "users", role = "authenticated", privileges = ["SELECT"], column_privileges = { UPDATE = ["name"] } }
    bookings_authenticated = { table = "bookings", role = "authenticated", privileges = ["SELECT", "INSERT"] }
    users_service          = { table = "users", role = "service_role", privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"] }
    bookings_service       = { table = "bookings", role = "service_role", privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"] }
  }

  policies = {
    "Users can view own profile" = {
      table   = "users"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "id = auth.uid()"
    }
    "Users can view mentors" = {
      table   = "users"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "role = 'mentor'"
    }
    # A user edits their own profile but cannot change their role.
    "Users can update own profile" = {
      table      = "users"
      command    = "UPDATE"
      roles      = ["authenticated"]
      using      = "id = auth.uid()"
      with_check = "id = auth.uid() AND role = (SELECT u.role FROM users u WHERE u.id = auth.uid())"
    }
    "Users can view own bookings" = {
      table   = "bookings"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "mentor_id = auth.uid() OR mentee_id = auth.uid()"
    }
    "Mentees can create bookings" = {
      table      = "bookings"
      command    = "INSERT"
      roles      = ["authenticated"]
      with_check = "mentee_id = auth.uid() AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentee')"
    }
  }
}

# Profile pictures: public to read by URL, written by each signed-in user
# under the folder named by their user id only.
module "storage" {
  source = "../storage"

  buckets = {
    (var.avatars_bucket) = { public = true, file_size_limit = 2 * 1024 * 1024, allowed_mime_types = ["image/*"] }
  }
  policies = {
    "Users upload their own avatar" = {
      bucket     = var.avatars_bucket
      command    = "INSERT"
      roles      = ["authenticated"]
      with_check = local.own_folder
    }
    "Users replace their own avatar" = {
      bucket     = var.avatars_bucket
      command    = "UPDATE"
      roles      = ["authenticated"]
      using      = local.own_folder
      with_check = local.own_folder
    }
    "Users delete their own avatar" = {
      bucket  = var.avatars_bucket
      command = "DELETE"
      roles   = ["authenticated"]
      using   = local.own_folder
    }
  }
}
