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

resource "officehours_pages_domain" "this" {
  for_each = var.domains

  project_name    = officehours_pages_project.this.name
  name            = each.key
  wait_for_active = var.wait_for_active
  wait_timeout    = var.wait_timeout
}
