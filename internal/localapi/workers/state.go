// Package workers serves Workers scripts and what hangs off them: uploads
// (multipart, with Durable Object migrations), settings, secrets, versions,
// deployments, zone routes and the workers.dev subdomain, in the shapes that
// Cloudflare's API, its Go SDK and wrangler use.
package workers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/kv"
)

// Module is one part of an upload: an ES module, a source map, wasm, text.
type Module struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Content     []byte `json:"content"`
}

// moduleTypes are wrangler's module types by the content type it uploads
// each with (deploy-helpers create-worker-upload-form.ts moduleTypeMimeType).
var moduleTypes = map[string]string{
	"application/javascript+module": "esm",
	"application/javascript":        "commonjs",
	"application/wasm":              "compiled-wasm",
	"application/octet-stream":      "buffer",
	"text/plain":                    "text",
	"text/x-python":                 "python",
	"text/x-python-requirement":     "python-requirement",
}

// ModuleType is how a Worker imports an upload part: wrangler's module type
// for its content type, or "" for a part that is not a module (a source map).
func ModuleType(contentType string) string {
	t, _, _ := strings.Cut(contentType, ";")
	return moduleTypes[strings.TrimSpace(t)]
}

// Binding is a binding as uploaded. Only the fields of the supported
// types are kept; secret_text keeps its text, which is never returned.
type Binding struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Text        string          `json:"text,omitempty"`
	JSON        json.RawMessage `json:"json,omitempty"`
	NamespaceID string          `json:"namespace_id,omitempty"`
	ClassName   string          `json:"class_name,omitempty"`
	ScriptName  string          `json:"script_name,omitempty"`
	Environment string          `json:"environment,omitempty"`
	Service     string          `json:"service,omitempty"`
	Entrypoint  string          `json:"entrypoint,omitempty"`
	Part        string          `json:"part,omitempty"`
}

// Content is what a version runs: code, bindings and compatibility.
type Content struct {
	MainModule         string    `json:"main_module,omitempty"`
	BodyPart           string    `json:"body_part,omitempty"`
	Modules            []Module  `json:"modules"`
	Bindings           []Binding `json:"bindings"`
	CompatibilityDate  string    `json:"compatibility_date,omitempty"`
	CompatibilityFlags []string  `json:"compatibility_flags"`
}

// Etag is the hash of the script's content: its modules and which is the
// main one. Cloudflare documents etag as "Hashed script content"
// (cloudflare-go v7 workers/script.go); bindings, variables and
// compatibility settings changed through the settings API leave it alone,
// so a client that watches only the etag misses those changes.
func (c *Content) Etag() string {
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	write("main", c.MainModule, c.BodyPart)
	for _, m := range c.Modules {
		write("module", m.Name, m.ContentType)
		h.Write(m.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Version is an immutable snapshot of a script.
type Version struct {
	ID          string            `json:"id"`
	Number      int               `json:"number"`
	CreatedOn   string            `json:"created_on"`
	Source      string            `json:"source"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Content     Content           `json:"content"`
}

// Deployment sends traffic to versions.
type Deployment struct {
	ID          string            `json:"id"`
	Source      string            `json:"source"`
	Strategy    string            `json:"strategy"`
	CreatedOn   string            `json:"created_on"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Versions    []Traffic         `json:"versions"`
}

// Traffic is the share of one version in a deployment, a number that may
// have decimals (cloudflare-go v7 DeploymentVersionParam.Percentage is a
// float64; wrangler versions deploy accepts 0 to 100 with decimals).
type Traffic struct {
	VersionID  string  `json:"version_id"`
	Percentage float64 `json:"percentage"`
}

// Class is a Durable Object class a script implements, with its namespace.
type Class struct {
	Name        string `json:"name"`
	NamespaceID string `json:"namespace_id"`
	SQLite      bool   `json:"use_sqlite"`
}

// Script is a Worker and its history.
type Script struct {
	Name             string         `json:"name"`
	Tag              string         `json:"tag"`
	CreatedOn        string         `json:"created_on"`
	ModifiedOn       string         `json:"modified_on"`
	LastDeployedFrom string         `json:"last_deployed_from"`
	MigrationTag     string         `json:"migration_tag,omitempty"`
	Classes          []Class        `json:"classes"`
	Versions         []Version      `json:"versions"`    // oldest first
	Deployments      []Deployment   `json:"deployments"` // oldest first
	WorkersDev       bool           `json:"workers_dev"`
	PreviewsEnabled  bool           `json:"previews_enabled"`
	Settings         map[string]any `json:"script_settings,omitempty"`
}

// Current is the version serving traffic: the largest share of the latest
// deployment.
func (s *Script) Current() *Version {
	if len(s.Deployments) == 0 {
		return nil
	}
	d := s.Deployments[len(s.Deployments)-1]
	best := d.Versions[0]
	for _, t := range d.Versions[1:] {
		if t.Percentage > best.Percentage {
			best = t
		}
	}
	return s.Version(best.VersionID)
}

// Version finds a version by id.
func (s *Script) Version(id string) *Version {
	for i := range s.Versions {
		if s.Versions[i].ID == id {
			return &s.Versions[i]
		}
	}
	return nil
}

// Created is when the script was first uploaded.
func (s *Script) Created() time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000000Z", s.CreatedOn)
	return t
}

// Class finds a live Durable Object class.
func (s *Script) Class(name string) *Class {
	for i := range s.Classes {
		if s.Classes[i].Name == name {
			return &s.Classes[i]
		}
	}
	return nil
}

// Route is a zone route.
type Route struct {
	ID      string `json:"id"`
	ZoneID  string `json:"zone_id"`
	Pattern string `json:"pattern"`
	Script  string `json:"script,omitempty"`
}

// State is this area's section of the persisted state.
type State struct {
	Scripts   []*Script `json:"scripts"`
	Routes    []Route   `json:"routes"`
	Subdomain string    `json:"subdomain"`
	// LastTime keeps timestamps strictly increasing: wrangler orders
	// deployments by created_on, and two in the same microsecond would tie.
	LastTime time.Time `json:"last_time"`
}

// Script finds a script by name.
func (s *State) Script(name string) *Script {
	for _, sc := range s.Scripts {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}

const section = "workers"

// Snapshot is a deep copy of what the Workers state in store runs: each
// script with its latest deployment and only the versions that deployment
// names (the history is left out: the runtime takes one after every write,
// KV's included), and the routes.
func Snapshot(store *core.Store) State {
	state := StateOf(store)
	var data []byte
	store.Read(func() {
		running := State{Routes: state.Routes, Subdomain: state.Subdomain}
		for _, sc := range state.Scripts {
			cut := Script{Name: sc.Name, Classes: sc.Classes}
			if n := len(sc.Deployments); n > 0 {
				d := sc.Deployments[n-1]
				cut.Deployments = []Deployment{d}
				for _, t := range d.Versions {
					if v := sc.Version(t.VersionID); v != nil {
						cut.Versions = append(cut.Versions, *v)
					}
				}
			}
			running.Scripts = append(running.Scripts, &cut)
		}
		data, _ = json.Marshal(running)
	})
	var copied State
	_ = json.Unmarshal(data, &copied) // what Marshal wrote reads back
	return copied
}

// StateOf returns the Workers state registered in store.
func StateOf(store *core.Store) *State { return store.Section(section).(*State) }

var (
	errScriptNotFound  = core.Errorf(http.StatusNotFound, 10007, "This Worker does not exist on your account.")
	errServiceNotFound = core.Errorf(http.StatusNotFound, 10090, "This Worker does not exist on your account.")
)

// area carries what the handlers share.
type area struct {
	env   *core.Env
	state *State
	kv    *kv.State // read inside this area's store lock, so fetched once
}

// now returns a timestamp later than any given before.
func (a *area) now() string {
	t := a.env.Now().UTC().Truncate(time.Microsecond)
	if !t.After(a.state.LastTime) {
		t = a.state.LastTime.Add(time.Microsecond)
	}
	a.state.LastTime = t
	return core.Timestamp(t)
}

// Register adds the routes of this area.
func Register(env *core.Env) error {
	state := &State{}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	if state.Subdomain == "" {
		state.Subdomain = "officehours-local"
	}
	// kv registers first; Section takes the store lock, so it cannot be
	// called from inside a handler's Write.
	a := &area{env: env, state: state, kv: kv.StateOf(env.Store)}
	a.registerScripts()
	a.registerUpload()
	a.registerSecrets()
	a.registerVersions()
	a.registerRoutes()
	return nil
}

// script looks a script up by the {script_name} path value.
func (a *area) script(r *http.Request) (*Script, *core.Error) {
	s := a.state.Script(r.PathValue("script_name"))
	if s == nil {
		return nil, errScriptNotFound
	}
	return s, nil
}

// readScript renders the script named in the path under the store's read
// lock, answering 10007 when it is missing.
func (a *area) readScript(render func(r *http.Request, s *Script) (any, *core.Error)) func(*http.Request) (any, *core.Error) {
	return func(r *http.Request) (out any, apiErr *core.Error) {
		a.env.Store.Read(func() {
			s, err := a.script(r)
			if err != nil {
				apiErr = err
				return
			}
			out, apiErr = render(r, s)
		})
		return out, apiErr
	}
}

// newUUID returns a hyphenated UUID, the shape of version and deployment ids.
func newUUID() string {
	id := core.NewID()
	return id[0:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32]
}
