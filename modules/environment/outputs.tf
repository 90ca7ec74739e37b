output "environment" {
  description = "The environment."
  value       = var.environment
}

output "worker_name" {
  description = "Name of the API worker."
  value       = module.api.name
}

output "worker_routes" {
  description = "Route patterns of the API worker."
  value       = module.api.routes
}

output "api_url" {
  description = "Base URL of the API (the web app's `VITE_API_BASE_URL`)."
  value       = "https://${local.api_hostname}"
}

output "kv_namespace_ids" {
  description = "KV namespace id by binding name (CACHE, RATE_LIMIT)."
  value       = module.api.kv_namespace_ids
}

output "kv_namespace_titles" {
  description = "KV namespace title by binding name."
  value       = module.api.kv_namespace_titles
}

output "durable_object_bindings" {
  description = "Durable Object bindings of the worker (none in staging)."
  value       = module.api.durable_object_bindings
}

output "worker_vars" {
  description = "Plain-text variables of the API worker."
  value       = module.api.vars
}

output "worker_compatibility" {
  description = "Compatibility date and flags of the API worker."
  value       = module.api.compatibility
}

output "durable_object_classes" {
  description = "Durable Object classes the API worker declares (none in staging)."
  value       = module.api.durable_object_classes
}

output "secret_names" {
  description = "Names of the worker's secrets."
  value       = module.api.secret_names
}

output "pages_project" {
  description = "Name of the Pages project."
  value       = module.web.name
}

output "pages_subdomain" {
  description = "The Pages project's `*.pages.dev` hostname."
  value       = module.web.subdomain
}

output "pages_domain" {
  description = "Custom domain of the web app."
  value       = local.web_domain
}

output "pages_domain_status" {
  description = "Status of the custom domain as Cloudflare reports it."
  value       = module.web.domains[local.web_domain]
}

output "pages_production_branch" {
  description = "Branch the Pages project deploys to production."
  value       = module.web.production_branch
}

output "pages_build" {
  description = "Build settings of the Pages project, with the Node.js version."
  value       = module.web.build
}

output "web_production_variables" {
  description = "Plain-text variables of the web app's production deployments."
  value       = module.web.production_variables
}

output "web_preview_variables" {
  description = "Plain-text variables of the web app's preview deployments."
  value       = module.web.preview_variables
}

output "migration_versions" {
  description = "Migration versions applied to the database, oldest first."
  value       = module.database.applied_versions
}

output "latest_migration" {
  description = "Newest migration version applied to the database."
  value       = module.database.latest_version
}

output "rls_tables" {
  description = "Tables with row level security managed: id by table name."
  value       = module.database.tables
}

output "rls_policies" {
  description = "Row level security policy id by name."
  value       = module.database.policies
}

output "avatars_bucket" {
  description = "Id of the Storage bucket of profile pictures."
  value       = module.storage.buckets[var.avatars_bucket]
}

output "avatars_public_url" {
  description = "Base URL of the public profile pictures: append `<user id>/<file>`."
  value       = "${trimsuffix(var.supabase_url, "/")}/storage/v1/object/public/${var.avatars_bucket}/"
}

output "storage_policies" {
  description = "Policy id on `storage.objects` by name."
  value       = module.storage.policies
}

output "web_deployment" {
  description = "The web app's direct-upload deployment (with `web_directory`): id, URL and file count."
  value       = module.web.deployment
}

output "api_version_id" {
  description = "Id of the API worker's version uploaded last by Terraform."
  value       = module.api.version_id
}

output "api_deployment" {
  description = "With `api_deployment`: the deployment serving the API (id, versions and percentages)."
  value       = module.api.deployment
}

output "health_check" {
  description = "The API's health check: its id and what it probes (null without monitoring)."
  value = var.monitoring ? {
    id      = officehours_health_check.api[0].id
    address = officehours_health_check.api[0].address
    path    = officehours_health_check.api[0].path
  } : null
}

output "health_url" {
  description = "The health endpoint the `api_health_endpoint` check requests."
  value       = local.health_url
}
