output "name" {
  description = "The worker script name."
  value       = officehours_worker_script.this.name
}

output "content_sha256" {
  description = "SHA-256 over the deployed modules (changes when the code does)."
  value       = officehours_worker_script.this.content_sha256
}

output "version_id" {
  description = "Id of the version the last upload created."
  value       = officehours_worker_script.this.version_id
}

output "kv_namespace_ids" {
  description = "KV namespace id by binding name."
  value       = local.kv_bindings
}

output "kv_namespace_titles" {
  description = "KV namespace title by binding name."
  value       = tomap({ for b, ns in officehours_kv_namespace.this : b => ns.title })
}

output "durable_object_bindings" {
  description = "Durable Object bindings: binding name to class (and script, for another worker's class)."
  value       = var.durable_object_bindings
}

output "secret_names" {
  description = "Names of the secrets the worker has (never their values)."
  value       = sort([for s in officehours_worker_secret.this : s.name])
}

output "routes" {
  description = "Route patterns that run this worker."
  value       = sort(keys(officehours_worker_route.this))
}

output "route_ids" {
  description = "Route id by pattern."
  value       = tomap({ for p, r in officehours_worker_route.this : p => r.id })
}

output "vars" {
  description = "Plain-text variables of the worker."
  value       = var.vars
}

output "compatibility" {
  description = "The worker's compatibility date and flags."
  value       = { date = var.compatibility_date, flags = sort(var.compatibility_flags) }
}

output "durable_object_classes" {
  description = "Durable Object classes the worker declares (and migrates)."
  value       = var.durable_object_classes
}

output "deployment" {
  description = "The deployment that serves, with `deployment` set: its `id` and `versions` (ids and percentages); null otherwise."
  value = one([for d in officehours_worker_deployment.this : {
    id       = d.id
    versions = d.versions
  }])
}
