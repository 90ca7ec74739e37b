output "worker_name" {
  description = "Name of the API worker."
  value       = module.environment.worker_name
}

output "worker_route" {
  description = "Route of the API worker."
  value       = one(module.environment.worker_routes)
}

output "api_url" {
  description = "Base URL of the API."
  value       = module.environment.api_url
}

output "pages_project" {
  description = "Name of the Pages project."
  value       = module.environment.pages_project
}

output "pages_subdomain" {
  description = "The Pages project's pages.dev hostname."
  value       = module.environment.pages_subdomain
}

output "pages_domain" {
  description = "Custom domain of the web app."
  value       = module.environment.pages_domain
}

output "migration_versions" {
  description = "Migration versions applied to the database."
  value       = module.environment.migration_versions
}

output "kv_namespace_ids" {
  description = "KV namespace id by binding name."
  value       = module.environment.kv_namespace_ids
}
