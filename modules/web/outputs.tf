output "id" {
  description = "Pages project id."
  value       = officehours_pages_project.this.id
}

output "name" {
  description = "Pages project name."
  value       = officehours_pages_project.this.name
}

output "subdomain" {
  description = "The project's `*.pages.dev` hostname."
  value       = officehours_pages_project.this.subdomain
}

output "url" {
  description = "URL of the production deployment on its first custom domain, or on the `*.pages.dev` subdomain without one."
  value       = length(var.domains) > 0 ? "https://${sort(var.domains)[0]}" : "https://${officehours_pages_project.this.subdomain}"
}

output "domains" {
  description = "Custom domain to its status as Cloudflare last reported it (`active` once its CNAME resolves and the certificate is in place)."
  value       = tomap({ for d, r in officehours_pages_domain.this : d => r.status })
}

output "dns_records" {
  description = "Custom domain to the id of the CNAME record the module created for it (empty without `manage_dns`)."
  value       = tomap({ for d, r in officehours_dns_record.this : d => r.id })
}

output "production_variables" {
  description = "Plain-text variables of production deployments."
  value       = var.production.variables
}

output "preview_variables" {
  description = "Plain-text variables of preview deployments."
  value       = var.preview.variables
}

output "secret_revisions" {
  description = "Per deployment (`production`, `preview`), how many times each secret variable was written: it changes when a value does, never showing the value."
  value = {
    production = try(officehours_pages_project.this.production.secret_revisions, null)
    preview    = try(officehours_pages_project.this.preview.secret_revisions, null)
  }
}

output "production_branch" {
  description = "Git branch whose deployments are production."
  value       = var.production_branch
}

output "build" {
  description = "Build settings, with the Node.js version."
  value       = merge(var.build, { node_version = var.node_version })
}

output "deployment" {
  description = "The direct-upload deployment that serves (null without `deployment`): its `id`, `url`, `alias_url` (previews), `environment` and how many files it has."
  value = one([for d in officehours_pages_deployment.this : {
    id          = d.id
    url         = d.url
    alias_url   = d.alias_url
    environment = d.environment
    file_count  = d.file_count
  }])
}
