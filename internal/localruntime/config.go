package localruntime

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/workers"
)

// hostConfig is what the Node host (host.mjs) runs: every version that the
// latest deployment of a script sends traffic to, each a Miniflare worker.
type hostConfig struct {
	Workers  []hostWorker `json:"workers"`
	KVBridge string       `json:"kvBridge"`
}

type hostWorker struct {
	Name               string                `json:"name"`
	Modules            []hostModule          `json:"modules,omitempty"`
	ServiceWorker      []byte                `json:"serviceWorker,omitempty"`
	CompatibilityDate  string                `json:"compatibilityDate,omitempty"`
	CompatibilityFlags []string              `json:"compatibilityFlags"`
	Bindings           map[string]any        `json:"bindings"`
	KV                 map[string]string     `json:"kv,omitempty"`
	DurableObjects     map[string]hostObject `json:"durableObjects,omitempty"`
	Services           map[string]string     `json:"services,omitempty"`
}

type hostModule struct {
	Path     string `json:"path"`
	Type     string `json:"type"`
	Contents []byte `json:"contents"`
}

// hostObject binds a Durable Object class. Worker is the Miniflare worker
// that runs the class; UniqueKey, the class's namespace id, names its
// storage, so that objects keep their state across versions and restarts.
type hostObject struct {
	ClassName string `json:"className"`
	Worker    string `json:"worker"`
	UniqueKey string `json:"uniqueKey"`
	SQLite    bool   `json:"sqlite"`
}

// miniflareTypes are Miniflare's module types for wrangler's (Python is
// not run here).
var miniflareTypes = map[string]string{
	"esm": "ESModule", "commonjs": "CommonJS", "compiled-wasm": "CompiledWasm", "buffer": "Data", "text": "Text",
}

// workerName names the Miniflare worker running one version of a script.
func workerName(script, version string) string { return script + "@" + version }

// Traffic is where a script's requests go: each serving version's worker
// and its share, in percent.
type Traffic struct {
	Script   string
	Versions []VersionShare
}

// VersionShare is one version of a deployment with its worker and share.
type VersionShare struct {
	ID         string
	Worker     string
	Percentage float64
}

// plan turns the API's Workers state into what the host runs and where
// each script's traffic goes. A script that has never been deployed runs
// nothing, as on Cloudflare.
func plan(state workers.State, kvBridge string) (hostConfig, map[string]Traffic, error) {
	cfg := hostConfig{Workers: []hostWorker{}, KVBridge: kvBridge}
	traffic := map[string]Traffic{}
	for _, s := range state.Scripts {
		if len(s.Deployments) == 0 {
			continue
		}
		t := Traffic{Script: s.Name}
		for _, share := range s.Deployments[len(s.Deployments)-1].Versions {
			if share.Percentage <= 0 {
				continue
			}
			t.Versions = append(t.Versions, VersionShare{ID: share.VersionID, Worker: workerName(s.Name, share.VersionID), Percentage: share.Percentage})
		}
		traffic[s.Name] = t
	}
	for _, s := range state.Scripts {
		t, ok := traffic[s.Name]
		if !ok {
			continue
		}
		for _, share := range t.Versions {
			v := s.Version(share.ID)
			if v == nil {
				return hostConfig{}, nil, fmt.Errorf("script %s: deployment names version %s, which does not exist", s.Name, share.ID)
			}
			w, err := versionWorker(state, traffic, s, v)
			if err != nil {
				return hostConfig{}, nil, fmt.Errorf("script %s version %s: %w", s.Name, v.ID, err)
			}
			cfg.Workers = append(cfg.Workers, w)
		}
	}
	sort.Slice(cfg.Workers, func(i, j int) bool { return cfg.Workers[i].Name < cfg.Workers[j].Name })
	return cfg, traffic, nil
}

// leadWorker is the worker that runs a script's Durable Objects and takes its service-binding calls: its
// version with the largest share. Cloudflare runs one version of an object
// at a time; which one during a gradual deployment is not documented for
// every case, so all of them go to one.
func leadWorker(t Traffic) string {
	best := t.Versions[0]
	for _, v := range t.Versions[1:] {
		if v.Percentage > best.Percentage {
			best = v
		}
	}
	return best.Worker
}

func versionWorker(state workers.State, traffic map[string]Traffic, s *workers.Script, v *workers.Version) (hostWorker, error) {
	c := v.Content
	w := hostWorker{
		Name: workerName(s.Name, v.ID), CompatibilityDate: c.CompatibilityDate,
		CompatibilityFlags: append([]string{}, c.CompatibilityFlags...), Bindings: map[string]any{},
	}
	for _, m := range c.Modules {
		switch {
		case c.BodyPart != "" && m.Name == c.BodyPart:
			w.ServiceWorker = m.Content
		case miniflareTypes[workers.ModuleType(m.ContentType)] != "":
			w.Modules = append(w.Modules, hostModule{Path: m.Name, Type: miniflareTypes[workers.ModuleType(m.ContentType)], Contents: m.Content})
		}
	}
	// The main module comes first: Miniflare runs the first one.
	sort.SliceStable(w.Modules, func(i, j int) bool { return w.Modules[i].Path == c.MainModule && w.Modules[j].Path != c.MainModule })
	if len(w.Modules) == 0 && w.ServiceWorker == nil {
		return hostWorker{}, fmt.Errorf("no module to run")
	}
	for _, b := range c.Bindings {
		switch b.Type {
		case "plain_text", "secret_text":
			w.Bindings[b.Name] = b.Text
		case "json":
			var v any
			if err := json.Unmarshal(b.JSON, &v); err != nil {
				return hostWorker{}, fmt.Errorf("binding %s: %w", b.Name, err)
			}
			w.Bindings[b.Name] = v
		case "kv_namespace":
			if w.KV == nil {
				w.KV = map[string]string{}
			}
			w.KV[b.Name] = b.NamespaceID
		case "durable_object_namespace":
			owner := b.ScriptName
			if owner == "" {
				owner = s.Name
			}
			target := state.Script(owner)
			t, deployed := traffic[owner]
			if target == nil || !deployed || target.Class(b.ClassName) == nil {
				return hostWorker{}, fmt.Errorf("binding %s: class %s of script %s is not deployed", b.Name, b.ClassName, owner)
			}
			class := target.Class(b.ClassName)
			if w.DurableObjects == nil {
				w.DurableObjects = map[string]hostObject{}
			}
			w.DurableObjects[b.Name] = hostObject{ClassName: b.ClassName, Worker: leadWorker(t), UniqueKey: class.NamespaceID, SQLite: class.SQLite}
		case "service":
			t, ok := traffic[b.Service]
			if !ok {
				return hostWorker{}, fmt.Errorf("binding %s: service %s is not deployed", b.Name, b.Service)
			}
			if w.Services == nil {
				w.Services = map[string]string{}
			}
			w.Services[b.Name] = leadWorker(t)
		}
	}
	return w, nil
}
