package workers

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// resolveBindings validates the declared bindings the way Cloudflare does
// and returns the bindings of the new version: the declared ones, `inherit`
// bindings copied from the previous version, and the previous bindings of
// the kept types that were not declared again. classes are the Durable
// Object classes the script implements once this upload's migrations apply.
// Call inside Store.Write.
func (a *area) resolveBindings(script string, declared []Binding, previous *Version, keep []string, strict bool, classes []Class) ([]Binding, *core.Error) {
	var prev []Binding
	if previous != nil {
		prev = previous.Content.Bindings
	}
	findPrev := func(name string) (Binding, bool) {
		i := slices.IndexFunc(prev, func(b Binding) bool { return b.Name == name })
		if i < 0 {
			return Binding{}, false
		}
		return prev[i], true
	}
	seen := map[string]bool{}
	var out []Binding
	for i, b := range declared {
		if b.Name == "" {
			return nil, core.Errorf(http.StatusBadRequest, 10052, "Binding at index %d must have a name.", i)
		}
		if seen[b.Name] {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "Binding name %q is used more than once.", b.Name)
		}
		seen[b.Name] = true
		if b.Type == "inherit" {
			p, ok := findPrev(b.Name)
			if !ok {
				if strict {
					return nil, core.Errorf(http.StatusBadRequest, 10057, "inherit binding '%s' is invalid: the previous version has no binding of that name", b.Name)
				}
				continue
			}
			out = append(out, p)
			continue
		}
		if err := a.checkBinding(script, b, classes); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	for _, p := range prev {
		if !seen[p.Name] && slices.Contains(keep, p.Type) {
			out = append(out, p)
		}
	}
	return out, nil
}

// inheritUnchanged turns each declared binding that gives only its type and
// name into an `inherit` of the previous binding of that name and type, as
// the settings endpoint does: wrangler's `secret bulk` (and the dashboard)
// patch the bindings list by sending the existing bindings that way, since
// secret text is never returned to send back.
func inheritUnchanged(declared []Binding, previous *Version) []Binding {
	if previous == nil {
		return declared
	}
	out := slices.Clone(declared)
	for i, b := range out {
		bare := Binding{Type: b.Type, Name: b.Name}
		if b.Type == "inherit" || !equalBinding(b, bare) {
			continue
		}
		if slices.ContainsFunc(previous.Content.Bindings, func(p Binding) bool { return p.Name == b.Name && p.Type == b.Type }) {
			out[i] = Binding{Type: "inherit", Name: b.Name}
		}
	}
	return out
}

func equalBinding(x, y Binding) bool {
	a, _ := json.Marshal(x)
	b, _ := json.Marshal(y)
	return string(a) == string(b)
}

func (a *area) checkBinding(script string, b Binding, classes []Class) *core.Error {
	switch b.Type {
	case "kv_namespace":
		if !a.kv.Visible(a.env, b.NamespaceID) { // a new namespace is seen after the propagation delay
			return core.Errorf(http.StatusBadRequest, 10041, "KV namespace '%s' is not valid. Please verify the namespace_id of binding %s.", b.NamespaceID, b.Name)
		}
	case "durable_object_namespace":
		if b.ClassName == "" {
			return core.Errorf(http.StatusBadRequest, 10021, "binding %s of type durable_object_namespace must have a class_name", b.Name)
		}
		owner, ownerClasses := script, classes
		if b.ScriptName != "" && b.ScriptName != script {
			other := a.state.Script(b.ScriptName)
			if other == nil || !a.env.Visible(other.Created()) {
				return core.Errorf(http.StatusBadRequest, 10061,
					"Cannot create binding for class '%s' of script '%s': that script does not exist.", b.ClassName, b.ScriptName)
			}
			owner, ownerClasses = other.Name, other.Classes
		}
		if !slices.ContainsFunc(ownerClasses, func(c Class) bool { return c.Name == b.ClassName }) {
			return core.Errorf(http.StatusBadRequest, 10061,
				"Cannot create binding for class '%s' because it is not currently configured to implement Durable Objects in script '%s'. Ensure a --new-class migration has been applied to it.",
				b.ClassName, owner)
		}
	case "plain_text":
		// text may be empty
	case "json":
		if len(b.JSON) == 0 || !json.Valid(b.JSON) {
			return core.Errorf(http.StatusBadRequest, 10021, "binding %s of type json must have a valid json value", b.Name)
		}
	case "secret_text":
		if b.Text == "" {
			return core.Errorf(http.StatusBadRequest, 10021, "binding %s of type secret_text must have a text value", b.Name)
		}
	case "":
		return core.Errorf(http.StatusBadRequest, 10021, "binding %s has no type", b.Name)
	}
	return nil
}

// checkDeletedUnbound refuses to delete a class another script still binds
// (a binding of this upload to a deleted class is checkBinding's to refuse).
func (a *area) checkDeletedUnbound(script string, s *Script, after []Class) *core.Error {
	if s == nil {
		return nil
	}
	for _, c := range s.Classes {
		if slices.ContainsFunc(after, func(n Class) bool { return n.NamespaceID == c.NamespaceID }) {
			continue
		}
		for _, other := range a.state.Scripts {
			if other.Name == script {
				continue
			}
			if v := other.Current(); v != nil && slices.ContainsFunc(v.Content.Bindings, func(b Binding) bool {
				return b.Type == "durable_object_namespace" && b.ScriptName == script && b.ClassName == c.Name
			}) {
				return core.Errorf(http.StatusBadRequest, 10074,
					"Cannot apply --delete-class migration to class '%s': script '%s' still binds it.", c.Name, other.Name)
			}
		}
	}
	return nil
}

// publicBindings are bindings as the API returns them: secret text is never
// returned, and Durable Object bindings carry their namespace id.
func publicBindings(s *Script, bindings []Binding) []map[string]any {
	out := []map[string]any{}
	for _, b := range bindings {
		m := map[string]any{"type": b.Type, "name": b.Name}
		switch b.Type {
		case "plain_text":
			m["text"] = b.Text
		case "json":
			m["json"] = b.JSON
		case "kv_namespace":
			m["namespace_id"] = b.NamespaceID
		case "durable_object_namespace":
			m["class_name"] = b.ClassName
			if b.ScriptName != "" {
				m["script_name"] = b.ScriptName
			}
			if b.ScriptName == "" || b.ScriptName == s.Name {
				if c := s.Class(b.ClassName); c != nil {
					m["namespace_id"] = c.NamespaceID
				}
			}
		case "service":
			m["service"] = b.Service
			if b.Environment != "" {
				m["environment"] = b.Environment
			}
			if b.Entrypoint != "" {
				m["entrypoint"] = b.Entrypoint
			}
		case "wasm_module", "text_blob", "data_blob":
			m["part"] = b.Part
		}
		out = append(out, m)
	}
	return out
}
