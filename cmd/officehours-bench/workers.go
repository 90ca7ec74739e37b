package main

import (
	"fmt"
	"strings"
)

const workerModule = `// The benchmark's worker: one ES module.
export default {
  async fetch(request, env) {
    return new Response(JSON.stringify({ ok: true, environment: env.ENVIRONMENT }), {
      headers: { "content-type": "application/json" },
    });
  },
};
`

// benchSecrets are the secrets of each copy of the worker stack (the real
// worker has seven; two keep 100 copies within the time budget).
var benchSecrets = []string{"JWT_SECRET", "WEBHOOK_SECRET"}

// workerStackHCL is N copies of the worker stack: a script with its two KV
// namespaces bound, a route on the zone and secrets.
func workerStackHCL(head, kv string) workerStack {
	secrets := make([]string, len(benchSecrets))
	for i, name := range benchSecrets {
		secrets[i] = fmt.Sprintf("%q", name)
	}
	hcl := head + kv + fmt.Sprintf(`
resource "officehours_worker_script" "api" {
  count               = var.copies
  name                = "bench-api-${count.index}"
  main_module         = "${path.module}/index.js"
  compatibility_date  = "2025-03-11"
  compatibility_flags = ["nodejs_compat"]
  vars                = { ENVIRONMENT = "bench" }
  kv_namespaces = {
    CACHE      = officehours_kv_namespace.cache[count.index].id
    RATE_LIMIT = officehours_kv_namespace.rate_limit[count.index].id
  }
}

data "officehours_zone" "zone" {
  name = "officehours.youcanjustdothings.io"
}

resource "officehours_worker_route" "api" {
  count       = var.copies
  zone_id     = data.officehours_zone.zone.id
  pattern     = "bench-api-${count.index}.officehours.youcanjustdothings.io/*"
  script_name = officehours_worker_script.api[count.index].name
}

locals {
  secrets = { for pair in setproduct(range(var.copies), [%s]) : "${pair[0]}/${pair[1]}" => pair }
}

# Write-only values: never in the plan or the state.
resource "officehours_worker_secret" "api" {
  for_each    = local.secrets
  script_name = officehours_worker_script.api[each.value[0]].name
  name        = each.value[1]
  value_wo    = "bench-secret-${each.key}"
}
`, strings.Join(secrets, ", "))
	return workerStack{
		hcl: hcl, perCopy: 4 + len(benchSecrets),
		label: fmt.Sprintf("a worker script, two KV namespaces bound to it, a route and %d secrets", len(benchSecrets)),
		files: map[string]string{"index.js": workerModule},
	}
}
