package workerscript

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/cloudflare/cloudflare-go/v7/option"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/domigrate"
)

// The SDK's typed script calls do not cover module uploads with migrations
// the way wrangler sends them, so this package speaks to the endpoints
// directly through the SDK client (and so the shared rate limit and retries).

type envelope[T any] struct {
	Result T `json:"result"`
}

func get[T any](ctx context.Context, cf *clients.Cloudflare, path string) (T, error) {
	var env envelope[T]
	err := cf.API.Get(ctx, path, nil, &env)
	return env.Result, err
}

func scriptPath(cf *clients.Cloudflare, name string, rest string) string {
	return fmt.Sprintf("accounts/%s/workers/scripts/%s%s", cf.AccountID, url.PathEscape(name), rest)
}

// liveScript is what GET /workers/services/{name} says of the deployed script.
type liveScript struct {
	Etag               string   `json:"etag"`
	MigrationTag       string   `json:"migration_tag"`
	CompatibilityDate  string   `json:"compatibility_date"`
	CompatibilityFlags []string `json:"compatibility_flags"`
}

// readService is the one request a refresh costs.
func readService(ctx context.Context, cf *clients.Cloudflare, name string) (*liveScript, error) {
	svc, err := get[struct {
		DefaultEnvironment struct {
			Script liveScript `json:"script"`
		} `json:"default_environment"`
	}](ctx, cf, fmt.Sprintf("accounts/%s/workers/services/%s", cf.AccountID, url.PathEscape(name)))
	if err != nil {
		return nil, err
	}
	return &svc.DefaultEnvironment.Script, nil
}

type doNamespace struct {
	Script    string `json:"script"`
	Class     string `json:"class"`
	UseSQLite bool   `json:"use_sqlite"`
}

// liveClasses lists the Durable Object classes the script implements.
func liveClasses(ctx context.Context, cf *clients.Cloudflare, name string) ([]domigrate.Class, error) {
	var out []domigrate.Class
	for page := 1; ; page++ {
		list, err := get[[]doNamespace](ctx, cf, fmt.Sprintf("accounts/%s/workers/durable_objects/namespaces?per_page=1000&page=%d", cf.AccountID, page))
		if err != nil {
			return nil, err
		}
		for _, ns := range list {
			if ns.Script == name {
				out = append(out, domigrate.Class{Name: ns.Class, SQLite: ns.UseSQLite})
			}
		}
		if len(list) < 1000 {
			return out, nil
		}
	}
}

// binding is an upload binding of the kinds this resource manages.
type binding struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Text        string          `json:"text,omitempty"`
	JSON        json.RawMessage `json:"json,omitempty"`
	NamespaceID string          `json:"namespace_id,omitempty"`
	ClassName   string          `json:"class_name,omitempty"`
	ScriptName  string          `json:"script_name,omitempty"`
}

type uploadMetadata struct {
	MainModule         string          `json:"main_module"`
	Bindings           []binding       `json:"bindings"`
	CompatibilityDate  string          `json:"compatibility_date"`
	CompatibilityFlags []string        `json:"compatibility_flags"`
	Migrations         *domigrate.Plan `json:"migrations,omitempty"`
	// Secrets are managed apart (officehours_worker_secret, wrangler secret
	// put): an upload must never drop them.
	KeepBindings []string `json:"keep_bindings"`
}

type uploadResult struct {
	Etag         string `json:"etag"`
	DeploymentID string `json:"deployment_id"` // Cloudflare names the new version here
	MigrationTag string `json:"migration_tag"`
}

// upload PUTs the script as multipart: a JSON metadata part, one part per module.
func upload(ctx context.Context, cf *clients.Cloudflare, name string, meta uploadMetadata, modules []module) (*uploadResult, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="metadata"; filename="metadata.json"`)
	h.Set("Content-Type", "application/json")
	part, _ := w.CreatePart(h)
	part.Write(metaJSON)
	for _, m := range modules {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, m.Name, m.Name))
		h.Set("Content-Type", m.ContentType)
		part, _ := w.CreatePart(h)
		part.Write(m.Content)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	var env envelope[uploadResult]
	err = cf.API.Put(ctx, scriptPath(cf, name, "?excludeScript=true"), nil, &env,
		option.WithRequestBody(w.FormDataContentType(), buf.Bytes()))
	return &env.Result, err
}

// latestDeployment returns the id of the script's newest deployment and of
// the version serving most of its traffic.
func latestDeployment(ctx context.Context, cf *clients.Cloudflare, name string) (deployment, version string, err error) {
	res, err := get[struct {
		Deployments []struct {
			ID       string `json:"id"`
			Versions []struct {
				VersionID  string  `json:"version_id"`
				Percentage float64 `json:"percentage"`
			} `json:"versions"`
		} `json:"deployments"`
	}](ctx, cf, scriptPath(cf, name, "/deployments"))
	if err != nil || len(res.Deployments) == 0 {
		return "", "", err
	}
	d := res.Deployments[0]
	best := -1.0
	for _, v := range d.Versions {
		if v.Percentage > best {
			version, best = v.VersionID, v.Percentage
		}
	}
	return d.ID, version, nil
}

type settings struct {
	Bindings           []binding `json:"bindings"`
	CompatibilityDate  string    `json:"compatibility_date"`
	CompatibilityFlags []string  `json:"compatibility_flags"`
}

func readSettings(ctx context.Context, cf *clients.Cloudflare, name string) (settings, error) {
	return get[settings](ctx, cf, scriptPath(cf, name, "/settings"))
}

// readContent downloads the deployed modules: multipart for a module Worker
// (the main module first), raw for a service worker.
func readContent(ctx context.Context, cf *clients.Cloudflare, name string) ([]module, error) {
	var resp *http.Response
	if err := cf.API.Get(ctx, scriptPath(cf, name, "/content/v2"), nil, &resp); err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		body, err := io.ReadAll(resp.Body)
		return []module{{Name: name + ".js", Content: body}}, err
	}
	r := multipart.NewReader(resp.Body, params["boundary"])
	var modules []module
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return modules, nil
		}
		if err != nil {
			return nil, err
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		n := p.FileName()
		if n == "" {
			n = p.FormName()
		}
		modules = append(modules, module{Name: n, ContentType: p.Header.Get("Content-Type"), Content: content})
	}
}

func deleteScript(ctx context.Context, cf *clients.Cloudflare, name string) error {
	return cf.API.Delete(ctx, scriptPath(cf, name, ""), nil, nil)
}
