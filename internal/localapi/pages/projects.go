// Package pages serves Cloudflare Pages: projects with PATCH merge
// semantics, custom domains that become active the way Cloudflare reports
// them, and enough of deployments for wrangler's list commands:
// /accounts/{account_id}/pages/projects.
package pages

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/dns"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/kv"
)

// Error codes. 8000007 is Cloudflare's (wrangler matches on it); for the
// others no code is documented, so clients should go by the HTTP status.
const (
	codeBadRequest         = 8000000
	codeProjectNotFound    = 8000007
	codeDuplicate          = 8000002
	codeDomainNotFound     = 8000015
	codeDomainExists       = 8000018
	codeDeploymentNotFound = 8000009
	codeHasDomains         = 8000028
)

var errProjectNotFound = core.Errorf(http.StatusNotFound, codeProjectNotFound,
	"Project not found. The specified project name does not match any of your existing projects.")

// pageSize is a Pages list's page size. No source gives the maxima of the
// Pages lists; 1000, as for the other lists of the account, is assumed.
func pageSize(def int) core.PageSize { return core.PageSize{Default: def, Min: 1, Max: 1000} }

// project is one stored project.
type project struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Subdomain   string       `json:"subdomain"`
	CreatedOn   time.Time    `json:"created_on"`
	Spec        Spec         `json:"spec"`
	Domains     []Domain     `json:"domains"`
	Deployments []Deployment `json:"deployments"`         // newest first
	Canonical   string       `json:"canonical,omitempty"` // a production deployment rolled back to
}

// State is this area's section of the persisted state.
type State struct {
	Projects []*project `json:"projects"`
	// Subdomains ever handed out. Cloudflare's *.pages.dev names are global,
	// so a name already taken gets a random suffix (as the dashboard does).
	Subdomains []string `json:"subdomains"`
	Settings   Settings `json:"settings"`
	// Direct upload: the account's uploaded files by hash, and the upload
	// tokens handed out.
	Assets       map[string]Asset       `json:"assets,omitempty"`
	UploadTokens map[string]uploadToken `json:"upload_tokens,omitempty"`
}

func (s *State) find(name string) *project {
	i := slices.IndexFunc(s.Projects, func(p *project) bool { return p.Name == name })
	if i < 0 {
		return nil
	}
	return s.Projects[i]
}

const section = "pages"

// Project names are DNS labels on pages.dev: Cloudflare allows lowercase
// letters, digits and dashes, at most 58 characters.
var validName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$`)

func checkName(name string) *core.Error {
	if !validName.MatchString(name) {
		return core.Errorf(http.StatusBadRequest, codeBadRequest,
			"Invalid project name %q: use 1 to 58 lowercase letters, numbers and dashes, not starting or ending with a dash.", name)
	}
	return nil
}

// Register adds the routes of this area.
func Register(env *core.Env) error {
	state := &State{Settings: defaultSettings()}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	// dns registers first; Section takes the store lock.
	a := &area{env: env, state: state, dns: dns.StateOf(env.Store)}
	a.routeProjects()
	a.routeDomains()
	a.routeDeployments()
	a.routeAssets()
	a.routeSettings()
	return nil
}

type area struct {
	env   *core.Env
	state *State
	dns   *dns.State // read inside this area's store lock, so fetched once
}

const base = "/accounts/{account_id}/pages/projects"

func (a *area) routeProjects() {
	a.env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		var list []map[string]any
		a.env.Store.Read(func() {
			for _, p := range a.state.Projects {
				list = append(list, a.view(p))
			}
		})
		return core.Paginate(r, list, pageSize(10))
	})

	a.env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		body, apiErr := decodeObject(r)
		if apiErr != nil {
			return nil, apiErr
		}
		name, _ := body["name"].(string)
		if apiErr := checkName(name); apiErr != nil {
			return nil, apiErr
		}
		delete(body, "name")
		now := a.env.Now()
		spec, apiErr := applyPatch(Spec{}, body)
		if apiErr != nil {
			return nil, apiErr
		}
		fillDefaults(&spec, now)
		kvState := a.kvState()
		var out map[string]any
		apiErr = a.env.Store.Write(func() *core.Error {
			if a.state.find(name) != nil {
				return core.Errorf(http.StatusConflict, codeDuplicate, "A project with the name %q already exists in this account. Choose a different project name.", name)
			}
			if err := validateSpec(spec, kvState, now); err != nil {
				return err
			}
			p := &project{ID: newUUID(), Name: name, CreatedOn: now, Spec: spec, Subdomain: a.subdomain(name)}
			a.state.Projects = append(a.state.Projects, p)
			out = a.view(p)
			return nil
		})
		return out, apiErr
	})

	a.env.Handle("GET "+base+"/{project_name}", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		apiErr := a.withProject(r, false, func(p *project) *core.Error {
			out = a.view(p)
			return nil
		})
		return out, apiErr
	})

	a.env.Handle("PATCH "+base+"/{project_name}", func(r *http.Request) (any, *core.Error) {
		body, apiErr := decodeObject(r)
		if apiErr != nil {
			return nil, apiErr
		}
		delete(body, "name") // a project cannot be renamed
		kvState := a.kvState()
		var out map[string]any
		apiErr = a.withProject(r, true, func(p *project) *core.Error {
			spec, err := applyPatch(p.Spec, body)
			if err != nil {
				return err
			}
			fillDefaults(&spec, p.CreatedOn)
			if err := validateSpec(spec, kvState, a.env.Now()); err != nil {
				return err
			}
			p.Spec = spec
			out = a.view(p)
			return nil
		})
		return out, apiErr
	})

	a.env.Handle("DELETE "+base+"/{project_name}", func(r *http.Request) (any, *core.Error) {
		return nil, a.env.Store.Write(func() *core.Error {
			name := r.PathValue("project_name")
			i := slices.IndexFunc(a.state.Projects, func(p *project) bool { return p.Name == name })
			if i < 0 {
				return errProjectNotFound
			}
			if len(a.state.Projects[i].Domains) > 0 {
				// cloudflare-docs#2271 (reported again in zizifn/edgetunnel#330);
				// the HTTP status is not shown there, 400 is assumed.
				return core.Errorf(http.StatusBadRequest, codeHasDomains, "Must delete custom domains before deleting project")
			}
			a.state.Projects = slices.Delete(a.state.Projects, i, i+1)
			return nil
		})
	})
}

// kvState is the KV area's state, for checking bindings. It takes the
// store's lock, so call it before Store.Write, never inside.
func (a *area) kvState() *kv.State {
	s, _ := a.env.Store.Section("kv").(*kv.State)
	return s
}

// withProject runs fn on the project named in the path, under the store's
// lock; with write the state is persisted when fn succeeds.
func (a *area) withProject(r *http.Request, write bool, fn func(*project) *core.Error) *core.Error {
	run := func() *core.Error {
		p := a.state.find(r.PathValue("project_name"))
		if p == nil {
			return errProjectNotFound
		}
		return fn(p)
	}
	if write {
		return a.env.Store.Write(run)
	}
	var apiErr *core.Error
	a.env.Store.Read(func() { apiErr = run() })
	return apiErr
}

// subdomain hands out <name>.pages.dev, or <name>-xyz.pages.dev when that
// is taken. Call it under the store's lock.
func (a *area) subdomain(name string) string {
	taken := func(s string) bool {
		return slices.Contains(a.state.Subdomains, s) || slices.Contains(a.state.Settings.TakenSubdomains, s)
	}
	sub := name + ".pages.dev"
	for taken(sub) {
		suffix := make([]byte, 3)
		for i := range suffix {
			suffix[i] = byte('a' + rand.IntN(26))
		}
		sub = name + "-" + string(suffix) + ".pages.dev"
	}
	a.state.Subdomains = append(a.state.Subdomains, sub)
	return sub
}

// view is the project as the API returns it. Call it under the store's lock.
func (a *area) view(p *project) map[string]any {
	domains := []string{p.Subdomain}
	for _, d := range p.Domains {
		domains = append(domains, d.Name)
	}
	var source any
	if p.Spec.Source != nil {
		source = p.Spec.Source
	}
	var latest, canonical any
	if len(p.Deployments) > 0 {
		latest = a.deploymentView(p, p.Deployments[0])
		if c := a.canonicalDeployment(p); c != nil {
			canonical = a.deploymentView(p, *c)
		}
	}
	return map[string]any{
		"id":                p.ID,
		"name":              p.Name,
		"subdomain":         p.Subdomain,
		"domains":           domains,
		"production_branch": p.Spec.ProductionBranch,
		"created_on":        core.Timestamp(p.CreatedOn),
		"source":            source,
		"build_config":      p.Spec.BuildConfig,
		"deployment_configs": map[string]any{
			"preview":    masked(p.Spec.DeploymentConfigs.Preview),
			"production": masked(p.Spec.DeploymentConfigs.Production),
		},
		"latest_deployment":      latest,
		"canonical_deployment":   canonical,
		"framework":              "",
		"framework_version":      "",
		"uses_functions":         false,
		"production_script_name": "pages-worker--" + p.ID[:8] + "-production",
		"preview_script_name":    "pages-worker--" + p.ID[:8] + "-preview",
	}
}

// decodeObject reads a JSON object body, keeping explicit nulls (they
// delete keys in a PATCH).
func decodeObject(r *http.Request) (map[string]any, *core.Error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, core.ErrMalformedJSON
	}
	body := map[string]any{}
	if len(strings.TrimSpace(string(data))) == 0 {
		return body, nil
	}
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, core.ErrMalformedJSON
	}
	return body, nil
}

// newUUID returns a random UUID, the shape of Pages ids.
func newUUID() string {
	h := core.NewID()
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// SecretValue is the stored value of a secret variable of a project's
// deployment configuration ("production" or "preview"), which the API never
// returns; tests use it to prove what a write sent. ok is false when there
// is no such secret.
func SecretValue(store *core.Store, project, environment, name string) (value string, ok bool) {
	s, _ := store.Section(section).(*State)
	if s == nil {
		return "", false
	}
	store.Read(func() {
		p := s.find(project)
		if p == nil {
			return
		}
		d := p.Spec.DeploymentConfigs.Production
		if environment == "preview" {
			d = p.Spec.DeploymentConfigs.Preview
		}
		if v, found := d.EnvVars[name]; found && v.Type == "secret_text" {
			value, ok = v.Value, true
		}
	})
	return value, ok
}
