package workers

import (
	"encoding/json"
	"mime"
	"net/http"
	"slices"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

func (a *area) registerScripts() {
	const scripts = "/accounts/{account_id}/workers/scripts"
	const base = scripts + "/{script_name}"

	a.env.Handle("GET "+scripts, func(r *http.Request) (any, *core.Error) {
		out := []map[string]any{}
		a.env.Store.Read(func() {
			for _, s := range a.state.Scripts {
				out = append(out, scriptJSON(s))
			}
		})
		return out, nil
	})

	// The deployed code: raw for a service worker, multipart (one part per
	// module, named by module) for a module Worker, as Cloudflare answers.
	content := a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		v := s.Current()
		if v.Content.MainModule == "" {
			for _, m := range v.Content.Modules {
				if m.Name == v.Content.BodyPart {
					return core.Raw{ContentType: m.ContentType, Body: m.Content}, nil
				}
			}
		}
		// The main module comes first, so a reader can tell which it is.
		modules := slices.Clone(v.Content.Modules)
		slices.SortStableFunc(modules, func(x, y Module) int {
			return boolInt(y.Name == v.Content.MainModule) - boolInt(x.Name == v.Content.MainModule)
		})
		ct, body := multipartBody(modules)
		return core.Raw{ContentType: ct, Body: body}, nil
	})
	a.env.Handle("GET "+base, content)
	a.env.Handle("GET "+base+"/content/v2", content)

	// wrangler delete removes the Worker through its service.
	a.env.Handle("DELETE "+base, a.deleteScript)
	a.env.Handle("DELETE /accounts/{account_id}/workers/services/{script_name}", a.deleteScript)

	// What depends on a Worker; wrangler delete asks before breaking it.
	a.env.Handle("GET "+base+"/references", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		return a.references(s), nil
	}))

	// Tail Workers are not modelled, so no Worker is another's tail consumer.
	a.env.Handle("GET /accounts/{account_id}/workers/tails/by-consumer/{script_name}", func(r *http.Request) (any, *core.Error) {
		return []any{}, nil
	})

	a.env.Handle("GET /accounts/{account_id}/workers/services/{script_name}", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		a.env.Store.Read(func() {
			s := a.state.Script(r.PathValue("script_name"))
			if s == nil {
				return
			}
			// The script as the services endpoint reports it: wrangler reads
			// tag, tags, last_deployed_from (validate-worker-props.ts) and
			// migration_tag (durable.ts), the official provider etag and
			// handlers. Compatibility settings are declared by wrangler's
			// type (workers-utils types.ts) but read by no client from here,
			// so they are left out: clients must read them from /settings.
			script := scriptJSON(s)
			delete(script, "compatibility_date")
			delete(script, "compatibility_flags")
			out = map[string]any{
				"id": s.Name, "created_on": s.CreatedOn, "modified_on": s.ModifiedOn,
				"default_environment": map[string]any{
					"environment": "production", "created_on": s.CreatedOn, "modified_on": s.ModifiedOn,
					"script": script,
				},
				"environments": []map[string]any{{"environment": "production"}},
			}
		})
		if out == nil {
			return nil, errServiceNotFound
		}
		return out, nil
	})

	a.env.Handle("GET "+base+"/settings", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		return settingsJSON(s), nil
	}))

	a.env.Handle("PATCH "+base+"/settings", a.patchSettings)

	a.env.Handle("GET "+base+"/script-settings", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		return scriptSettings(s), nil
	}))

	a.env.Handle("PATCH "+base+"/script-settings", func(r *http.Request) (any, *core.Error) {
		var body map[string]any
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		var out map[string]any
		err := a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			if s.Settings == nil {
				s.Settings = map[string]any{}
			}
			for k, v := range body {
				if v != nil {
					s.Settings[k] = v
				}
			}
			out = scriptSettings(s)
			return nil
		})
		return out, err
	})

	a.env.Handle("GET /accounts/{account_id}/workers/subdomain", func(r *http.Request) (any, *core.Error) {
		var sub string
		a.env.Store.Read(func() { sub = a.state.Subdomain })
		return map[string]string{"subdomain": sub}, nil
	})

	a.env.Handle("GET "+base+"/subdomain", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		return map[string]bool{"enabled": s.WorkersDev, "previews_enabled": s.PreviewsEnabled}, nil
	}))

	a.env.Handle("POST "+base+"/subdomain", func(r *http.Request) (any, *core.Error) {
		var body struct {
			Enabled         *bool `json:"enabled"`
			PreviewsEnabled *bool `json:"previews_enabled"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		var out map[string]bool
		err := a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			if body.Enabled != nil {
				s.WorkersDev = *body.Enabled
			}
			if body.PreviewsEnabled != nil {
				s.PreviewsEnabled = *body.PreviewsEnabled
			}
			out = map[string]bool{"enabled": s.WorkersDev, "previews_enabled": s.PreviewsEnabled}
			return nil
		})
		return out, err
	})

	a.env.Handle("GET /accounts/{account_id}/workers/durable_objects/namespaces", func(r *http.Request) (any, *core.Error) {
		list := []map[string]any{} // [] when empty, as Cloudflare answers
		a.env.Store.Read(func() {
			for _, s := range a.state.Scripts {
				for _, c := range s.Classes {
					list = append(list, map[string]any{
						"id": c.NamespaceID, "name": s.Name + "_" + c.Name, "script": s.Name,
						"class": c.Name, "use_sqlite": c.SQLite,
					})
				}
			}
		})
		// Durable Object namespace lists: at most 1000 a page (cloudflare-go v7).
		return core.Paginate(r, list, core.PageSize{Default: 20, Min: 1, Max: 1000})
	})
}

// deleteScript deletes a script unless another script binds its Durable
// Objects (10064), which ?force=true overrides.
func (a *area) deleteScript(r *http.Request) (any, *core.Error) {
	force := r.URL.Query().Get("force") == "true"
	return nil, a.env.Store.Write(func() *core.Error {
		s, err := a.script(r)
		if err != nil {
			return err
		}
		if !force {
			for _, other := range a.state.Scripts {
				if v := other.Current(); other != s && v != nil && slices.ContainsFunc(v.Content.Bindings, func(b Binding) bool {
					return b.Type == "durable_object_namespace" && b.ScriptName == s.Name
				}) {
					return core.Errorf(http.StatusBadRequest, 10064,
						"Cannot delete script '%s': script '%s' binds its Durable Objects. Delete with ?force=true to break the binding.", s.Name, other.Name)
				}
			}
		}
		a.state.Scripts = slices.DeleteFunc(a.state.Scripts, func(x *Script) bool { return x == s })
		return nil
	})
}

// references lists what uses s: service bindings to it and bindings to the
// Durable Object namespaces it implements (its own included), in the shape
// of GET .../scripts/{name}/references. Call inside the store lock.
func (a *area) references(s *Script) map[string]any {
	incoming := []map[string]any{}
	durableObjects := []map[string]any{}
	for _, other := range a.state.Scripts {
		v := other.Current()
		if v == nil {
			continue
		}
		for _, b := range v.Content.Bindings {
			switch {
			case b.Type == "service" && b.Service == s.Name:
				incoming = append(incoming, map[string]any{"service": other.Name, "environment": "production", "name": b.Name})
			case b.Type == "durable_object_namespace":
				owner := b.ScriptName
				if owner == "" {
					owner = other.Name
				}
				if c := s.Class(b.ClassName); owner == s.Name && c != nil {
					durableObjects = append(durableObjects, map[string]any{
						"service": other.Name, "environment": "production",
						"durable_object_namespace_id": c.NamespaceID, "durable_object_namespace_name": s.Name + "_" + c.Name,
					})
				}
			}
		}
	}
	return map[string]any{
		"services":           map[string]any{"incoming": incoming, "outgoing": []any{}, "pages_function": false},
		"durable_objects":    durableObjects,
		"dispatch_outbounds": []any{},
	}
}

// settingsJSON is the settings answer with the keys settings answers
// archived from real accounts carry; limits and observability are left
// out, as Cloudflare leaves them out unless they were set (a client that
// stores what it reads, as Cloudflare's own provider does, otherwise plans
// a change on every run against this stand-in and never against Cloudflare).
func settingsJSON(s *Script) map[string]any {
	v := s.Current()
	return map[string]any{
		"bindings":            publicBindings(s, v.Content.Bindings),
		"compatibility_date":  v.Content.CompatibilityDate,
		"compatibility_flags": nonNil(v.Content.CompatibilityFlags),
		"usage_model":         "standard",
		"placement":           map[string]any{},
		"tags":                []string{},
		"tail_consumers":      []any{},
		"logpush":             false,
	}
}

// scriptSettings is the non-versioned settings answer: what was set, over
// the keys always there (observability only once set, as above).
func scriptSettings(s *Script) map[string]any {
	out := map[string]any{"logpush": false, "tail_consumers": []any{}, "tags": []string{}}
	for k, v := range s.Settings {
		out[k] = v
	}
	return out
}

// patchSettings changes versioned settings (bindings, compatibility) and
// deploys the result as a new version. The body is multipart with a
// `settings` part (as the Go SDK sends it) or plain JSON.
func (a *area) patchSettings(r *http.Request) (any, *core.Error) {
	var patch struct {
		Bindings           *[]Binding `json:"bindings"`
		CompatibilityDate  *string    `json:"compatibility_date"`
		CompatibilityFlags *[]string  `json:"compatibility_flags"`
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		if err := r.ParseMultipartForm(SizeLimit); err != nil {
			return nil, core.Errorf(http.StatusBadRequest, 10001, "malformed multipart body: %v", err)
		}
		raw := r.FormValue("settings")
		if raw == "" {
			if fh := r.MultipartForm.File["settings"]; len(fh) > 0 {
				f, _ := fh[0].Open()
				var data map[string]any
				_ = json.NewDecoder(f).Decode(&data)
				b, _ := json.Marshal(data)
				raw = string(b)
			}
		}
		if err := json.Unmarshal([]byte(raw), &patch); err != nil {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "settings part is not valid JSON")
		}
	} else if err := core.DecodeJSON(r, &patch); err != nil {
		return nil, err
	}
	if patch.CompatibilityDate != nil {
		if err := a.checkCompatibilityDate(*patch.CompatibilityDate); err != nil {
			return nil, err
		}
	}
	var out map[string]any
	err := a.env.Store.Write(func() *core.Error {
		s, err := a.script(r)
		if err != nil {
			return err
		}
		current := s.Current()
		c := current.Content
		if patch.Bindings != nil {
			declared := inheritUnchanged(*patch.Bindings, current)
			bindings, err := a.resolveBindings(s.Name, declared, current, []string{"secret_text", "secret_key"}, false, s.Classes)
			if err != nil {
				return err
			}
			c.Bindings = bindings
		}
		if patch.CompatibilityDate != nil {
			c.CompatibilityDate = *patch.CompatibilityDate
		}
		if patch.CompatibilityFlags != nil {
			c.CompatibilityFlags = *patch.CompatibilityFlags
		}
		v := a.addVersion(s, c, source(r), map[string]string{"workers/triggered_by": "settings"})
		a.deploy(s, []Traffic{{VersionID: v.ID, Percentage: 100}}, source(r), nil)
		out = settingsJSON(s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
