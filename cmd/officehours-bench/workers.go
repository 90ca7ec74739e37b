package main

import "strings"

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
// namespaces bound, a route and secrets, from whichever of the worker
// resources the provider build has. ok is false without the script.
func (r *runner) workerStackHCL(head, kv string) (workerStack, bool) {
	if !r.has("officehours_worker_script") {
		return workerStack{}, false
	}
	ws := workerStack{perCopy: 3, files: map[string]string{"index.js": workerModule}}
	parts := []string{"a worker script", "two KV namespaces bound to it"}
	var b strings.Builder
	b.WriteString(head + kv + `
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
`)
	missing := []string{}
	if r.has("officehours_worker_route", "data.officehours_zone") {
		if hcl, ok := r.routeHCL(); ok {
			b.WriteString(hcl)
			ws.perCopy++
			parts = append(parts, "a route")
		} else {
			missing = append(missing, "route")
		}
	} else {
		missing = append(missing, "route")
	}
	if r.has("officehours_worker_secret") {
		if hcl, ok := r.secretsHCL(); ok {
			b.WriteString(hcl)
			ws.perCopy += len(benchSecrets)
			parts = append(parts, "two secrets")
		} else {
			missing = append(missing, "secrets")
		}
	} else {
		missing = append(missing, "secrets")
	}
	ws.hcl = b.String()
	ws.label = strings.Join(parts, ", ")
	ws.complete = len(missing) == 0
	if !ws.complete {
		ws.label += " (WITHOUT " + strings.Join(missing, " and ") + ": not in this provider build)"
	}
	ws.hasScript = true
	return ws, true
}

// routeHCL is a route per copy, once officehours_worker_route exists.
func (r *runner) routeHCL() (string, bool) {
	return "", false
}

// secretsHCL is the secrets of each copy, once officehours_worker_secret
// exists.
func (r *runner) secretsHCL() (string, bool) {
	return "", false
}
