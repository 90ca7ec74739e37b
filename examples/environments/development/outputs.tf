output "worker_name" {
  description = "Name of the API worker."
  value       = module.environment.worker_name
}

output "worker_route" {
  description = "Route of the API worker."
  value       = one(module.environment.worker_routes)
}

output "pages_subdomain" {
  description = "The Pages project's pages.dev hostname."
  value       = module.environment.pages_subdomain
}

output "pages_domain" {
  description = "Custom domain of the web app, with its status."
  value       = "${module.environment.pages_domain} (${module.environment.pages_domain_status})"
}

output "migration_versions" {
  description = "Migration versions applied to the database."
  value       = module.environment.migration_versions
}

output "kv_namespace_ids" {
  description = "KV namespace id by binding name."
  value       = module.environment.kv_namespace_ids
}

output "durable_object_bindings" {
  description = "Durable Object bindings of the worker."
  value       = module.environment.durable_object_bindings
}

output "avatars_public_url" {
  description = "Base URL of the public profile pictures in the local Storage API."
  value       = module.environment.avatars_public_url
}

output "web_deployment_url" {
  description = "URL of the web app's deployment (uploaded from examples/environments/app/web/dist)."
  value       = module.environment.web_deployment.url
}

output "health_check" {
  description = "The API's health check (its id, address and path), which the local stack runs through its edge."
  value       = module.environment.health_check
}
