// Package envdiff is the pure logic behind the Pages project resource:
// the PATCH body that really removes what was removed from the
// configuration (Cloudflare's PATCH merges, so a removed key must be sent
// as null, see TPC#5632) and the API defaults that must not show as changes.
package envdiff

import (
	"fmt"
	"maps"
	"slices"
)

// Environment is one deployment configuration (production or preview) as
// far as keyed maps go.
type Environment struct {
	// Plain maps plain_text variable names to values.
	Plain map[string]string
	// Secrets maps secret_text variable names to the value to write, or to
	// nil when the stored value is to be kept. In a prior Environment only
	// the names matter.
	Secrets map[string]*string
	// KV and DurableObjects map binding names to namespace ids.
	KV             map[string]string
	DurableObjects map[string]string
}

// Patch returns the parts of a deployment configuration's PATCH body that
// turn prior (what the API has, as last read) into want: changed and new
// keys with their values, removed keys as nil (JSON null). Keys that did not
// change are left out. Keys absent from the result are absent from the map,
// so an empty Environment pair gives an empty map.
func Patch(prior, want Environment) (map[string]any, error) {
	vars := map[string]any{}
	for name, value := range want.Plain {
		if old, ok := prior.Plain[name]; !ok || old != value {
			vars[name] = map[string]any{"type": "plain_text", "value": value}
		}
	}
	for name, value := range want.Secrets {
		if _, isPlain := want.Plain[name]; isPlain {
			return nil, fmt.Errorf("variable %s is both plain and secret", name)
		}
		switch {
		case value != nil:
			vars[name] = map[string]any{"type": "secret_text", "value": *value}
		case !hasKey(prior.Secrets, name):
			return nil, fmt.Errorf("secret %s is new but has no value to write", name)
		}
	}
	for _, name := range union(slices.Collect(maps.Keys(prior.Plain)), slices.Collect(maps.Keys(prior.Secrets))) {
		if !hasKey(want.Plain, name) && !hasKey(want.Secrets, name) {
			vars[name] = nil
		}
	}

	body := map[string]any{}
	if len(vars) > 0 {
		body["env_vars"] = vars
	}
	if b := bindings(prior.KV, want.KV); len(b) > 0 {
		body["kv_namespaces"] = b
	}
	if b := bindings(prior.DurableObjects, want.DurableObjects); len(b) > 0 {
		body["durable_object_namespaces"] = b
	}
	return body, nil
}

func bindings(prior, want map[string]string) map[string]any {
	out := map[string]any{}
	for name, id := range want {
		if old, ok := prior[name]; !ok || old != id {
			out[name] = map[string]any{"namespace_id": id}
		}
	}
	for name := range prior {
		if _, ok := want[name]; !ok {
			out[name] = nil
		}
	}
	return out
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
