package workers

import (
	"net/http"
	"slices"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

var errSecretNotFound = core.Errorf(http.StatusNotFound, 10056, "Secret not found")

// changeSecrets makes a new version from the deployed one with fn applied to
// its bindings and deploys it, as a secret change does on Cloudflare. It
// refuses when a newer version than the deployed one exists (10215), since
// deploying it would silently roll that version back.
func (a *area) changeSecrets(r *http.Request, fn func([]Binding) ([]Binding, *core.Error)) *core.Error {
	return a.env.Store.Write(func() *core.Error {
		s, err := a.script(r)
		if err != nil {
			return err
		}
		current := s.Current()
		if current == nil || current.ID != s.Versions[len(s.Versions)-1].ID {
			return core.Errorf(http.StatusBadRequest, 10215,
				"Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed.")
		}
		bindings, err := fn(slices.Clone(current.Content.Bindings))
		if err != nil {
			return err
		}
		c := current.Content
		c.Bindings = bindings
		annotations := map[string]string{"workers/triggered_by": "secret"}
		v := a.addVersion(s, c, source(r), annotations)
		a.deploy(s, []Traffic{{VersionID: v.ID, Percentage: 100}}, source(r), annotations)
		return nil
	})
}

func (a *area) registerSecrets() {
	const base = "/accounts/{account_id}/workers/scripts/{script_name}/secrets"

	a.env.Handle("PUT "+base, func(r *http.Request) (any, *core.Error) {
		var body struct {
			Name string `json:"name"`
			Text string `json:"text"`
			Type string `json:"type"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		if body.Name == "" {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "a secret needs a name")
		}
		if body.Type != "secret_text" {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "secret type %q is not supported; use secret_text", body.Type)
		}
		err := a.changeSecrets(r, func(bindings []Binding) ([]Binding, *core.Error) {
			i := slices.IndexFunc(bindings, func(b Binding) bool { return b.Name == body.Name })
			secret := Binding{Type: "secret_text", Name: body.Name, Text: body.Text}
			switch {
			case i < 0:
				return append(bindings, secret), nil
			case bindings[i].Type != "secret_text":
				return nil, core.Errorf(http.StatusBadRequest, 10053,
					"Binding name '%s' already in use by a %s binding", body.Name, bindings[i].Type)
			}
			bindings[i] = secret
			return bindings, nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]string{"name": body.Name, "type": "secret_text"}, nil
	})

	a.env.Handle("GET "+base, a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		out := []map[string]string{}
		for _, b := range s.Current().Content.Bindings {
			if b.Type == "secret_text" {
				out = append(out, map[string]string{"name": b.Name, "type": b.Type})
			}
		}
		return out, nil
	}))

	a.env.Handle("GET "+base+"/{secret_name}", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		for _, b := range s.Current().Content.Bindings {
			if b.Type == "secret_text" && b.Name == r.PathValue("secret_name") {
				return map[string]string{"name": b.Name, "type": b.Type}, nil
			}
		}
		return nil, errSecretNotFound
	}))

	a.env.Handle("DELETE "+base+"/{secret_name}", func(r *http.Request) (any, *core.Error) {
		return nil, a.changeSecrets(r, func(bindings []Binding) ([]Binding, *core.Error) {
			i := slices.IndexFunc(bindings, func(b Binding) bool {
				return b.Type == "secret_text" && b.Name == r.PathValue("secret_name")
			})
			if i < 0 {
				return nil, errSecretNotFound
			}
			return slices.Delete(bindings, i, i+1), nil
		})
	})
}
