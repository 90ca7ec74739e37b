# The API worker of one environment: its KV namespaces, the script with its
# bindings and Durable Object classes, its secrets and its routes.

locals {
  # Empty collections below are passed as null, so that what is left empty
  # here is simply absent on the script.
  kv_bindings = tomap({ for b, ns in officehours_kv_namespace.this : b => ns.id })
}

resource "officehours_kv_namespace" "this" {
  for_each = var.kv_namespaces

  title = "${var.name}-${each.key}"
}

resource "officehours_worker_script" "this" {
  name                = var.name
  main_module         = var.main_module
  modules             = length(var.modules) > 0 ? var.modules : null
  compatibility_date  = var.compatibility_date
  compatibility_flags = var.compatibility_flags

  vars                    = length(var.vars) > 0 ? var.vars : null
  json_vars               = length(var.json_vars) > 0 ? var.json_vars : null
  kv_namespaces           = length(local.kv_bindings) > 0 ? local.kv_bindings : null
  durable_object_classes  = length(var.durable_object_classes) > 0 ? var.durable_object_classes : null
  durable_object_bindings = length(var.durable_object_bindings) > 0 ? var.durable_object_bindings : null

  allow_durable_object_deletion = var.allow_durable_object_deletion

  # With a deployment, an upload only adds a version; the deployment decides
  # which versions serve.
  deploy = var.deployment == null
}

# A gradual release or a rollback: which versions serve, in what shares. A
# version without an id is the one uploaded from this configuration.
resource "officehours_worker_deployment" "this" {
  count = var.deployment == null ? 0 : 1

  script_name = officehours_worker_script.this.name
  versions = [for v in var.deployment.versions : {
    version_id = coalesce(v.version_id, officehours_worker_script.this.version_id)
    percentage = v.percentage
  }]
  message = var.deployment.message
  force   = var.deployment.force
}

resource "officehours_worker_secret" "this" {
  for_each = var.secret_names

  script_name      = officehours_worker_script.this.name
  name             = each.key
  value_wo         = var.secret_values[each.key]
  value_wo_version = lookup(var.secret_versions, each.key, 1)

  # A secret change deploys a version of what serves: after the deployment,
  # so that the deployment never names a version without the new secret.
  depends_on = [officehours_worker_deployment.this]
}

resource "officehours_worker_route" "this" {
  for_each = var.routes

  zone_id     = var.zone_id
  pattern     = each.key
  script_name = officehours_worker_script.this.name

  # Traffic reaches the worker only once its secrets are in place.
  depends_on = [officehours_worker_secret.this]
}
