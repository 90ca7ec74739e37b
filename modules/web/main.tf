# The web app of one environment: a Pages project with its build settings,
# per-deployment variables and secrets, and its custom domains.

locals {
  # The provider gets null for what is empty, so that a setting left out here
  # is left out on Cloudflare and plans stay free of `{} -> null` noise.
  deployments = {
    for name, d in { production = var.production, preview = var.preview } : name => {
      variables                 = length(d.variables) > 0 ? d.variables : null
      compatibility_date        = d.compatibility_date
      compatibility_flags       = length(d.compatibility_flags) > 0 ? d.compatibility_flags : null
      kv_namespaces             = length(d.kv_namespaces) > 0 ? d.kv_namespaces : null
      durable_object_namespaces = length(d.durable_object_namespaces) > 0 ? d.durable_object_namespaces : null
    }
  }
}

resource "officehours_pages_project" "this" {
  name              = var.name
  production_branch = var.production_branch
  node_version      = var.node_version

  build = var.build
  source = var.git_source == null ? null : {
    type                           = var.git_source.type
    owner                          = var.git_source.owner
    repository                     = var.git_source.repository
    production_deployments_enabled = var.git_source.production_deployments_enabled
    preview_deployments            = var.git_source.preview_deployments
    preview_branch_includes        = var.git_source.preview_branch_includes
    preview_branch_excludes        = var.git_source.preview_branch_excludes
    pr_comments_enabled            = var.git_source.pr_comments_enabled
  }

  # The secrets are ephemeral: they may only reach the write-only
  # secret_variables, so they are set apart from the rest of each block.
  production = merge(local.deployments.production, {
    secret_variables = length(var.production_secret_variables) > 0 ? var.production_secret_variables : null
  })
  preview = merge(local.deployments.preview, {
    secret_variables = length(var.preview_secret_variables) > 0 ? var.preview_secret_variables : null
  })
}

# Cloudflare creates no DNS record for a Pages domain: it stays pending
# until its name is a CNAME to the project's subdomain. The records come
# first, so that the domains can turn active while the apply waits.
data "officehours_zone" "domains" {
  count = var.manage_dns && var.zone_id == null && var.zone_name != null && length(var.domains) > 0 ? 1 : 0
  name  = var.zone_name
}

locals {
  zone_id = var.zone_id != null ? var.zone_id : one(data.officehours_zone.domains[*].id)
}

resource "officehours_dns_record" "this" {
  for_each = var.manage_dns ? var.domains : toset([])

  zone_id = local.zone_id
  type    = "CNAME"
  name    = each.key
  content = officehours_pages_project.this.subdomain
  proxied = true
  comment = "Pages project ${var.name}"

  lifecycle {
    precondition {
      condition     = var.zone_id != null || var.zone_name != null
      error_message = "Set zone_id (or zone_name) to the zone that holds the domains, so their CNAME records can be created; or set manage_dns = false and create the records elsewhere."
    }
  }
}

resource "officehours_pages_domain" "this" {
  for_each = var.domains

  project_name    = officehours_pages_project.this.name
  name            = each.key
  wait_for_active = var.wait_for_active
  timeouts        = { create = var.wait_timeout }

  depends_on = [officehours_dns_record.this]
}

# A direct-upload project gets its site from a built directory, as
# `wrangler pages deploy` would send it; a rollback is `rollback_to`.
resource "officehours_pages_deployment" "this" {
  count = var.deployment == null ? 0 : 1

  project_name   = officehours_pages_project.this.name
  directory      = var.deployment.directory
  branch         = var.deployment.branch
  commit_hash    = var.deployment.commit_hash
  commit_message = var.deployment.commit_message
  rollback_to    = var.deployment.rollback_to
}
