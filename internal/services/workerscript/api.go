package workerscript

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/domigrate"
)

// The SDKs' typed script calls do not cover module uploads with migrations
// the way wrangler sends them, so this package speaks to the endpoints
// through the provider's call layer.

func scriptPath(cf *clients.Cloudflare, name string, rest ...string) string {
	return cf.Account(append([]string{"workers", "scripts", name}, rest...)...)
}

// liveScript is what GET /workers/services/{name} says of the deployed
// script: the etag of its code (cloudflare-go v7 workers/script.go:
// "Hashed script content"; settings do not change it) and the Durable
// Object migration tag (wrangler durable.ts reads it here).
type liveScript struct {
	Etag         string `json:"etag"`
	MigrationTag string `json:"migration_tag"`
}

// readLive is a refresh of the script's etag and tag: from the account's
// scripts (cloudflare-go v7 ScriptListResponse carries both), listed once
// for every script the operation reads, or from its service when the list
// lacks it.
func readLive(ctx context.Context, cf *clients.Cloudflare, name string) (*liveScript, error) {
	list, err := clients.SharedGet[[]struct {
		ID string `json:"id"`
		liveScript
	}](ctx, cf, cf.Account("workers", "scripts"), nil)
	if err == nil {
		for _, s := range list {
			if s.ID == name {
				return &s.liveScript, nil
			}
		}
	}
	return readService(ctx, cf, name)
}

func readService(ctx context.Context, cf *clients.Cloudflare, name string) (*liveScript, error) {
	svc, err := clients.Get[struct {
		DefaultEnvironment struct {
			Script liveScript `json:"script"`
		} `json:"default_environment"`
	}](ctx, cf, cf.Account("workers", "services", name), nil)
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

// doPageSize is the largest page of Durable Object namespaces (cloudflare-go
// v7 durable_objects NamespaceListParams; the API schema's maximum).
const doPageSize = 1000

// liveClasses lists the Durable Object classes the script implements.
func liveClasses(ctx context.Context, cf *clients.Cloudflare, name string) ([]domigrate.Class, error) {
	list, err := clients.List[doNamespace](ctx, cf, cf.Account("workers", "durable_objects", "namespaces"), nil, doPageSize)
	if err != nil {
		return nil, err
	}
	var out []domigrate.Class
	for _, ns := range list {
		if ns.Script == name {
			out = append(out, domigrate.Class{Name: ns.Class, SQLite: ns.UseSQLite})
		}
	}
	return out, nil
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

// uploadResult is what the upload answers: the script as cloudflare-go v7
// ScriptUpdateResponse has it (etag, migration_tag), and deployment_id, the
// id of the new version (wrangler deploy.ts reads it so), which may come
// without hyphens (wrangler workers-utils parse.ts).
type uploadResult struct {
	liveScript
	DeploymentID string `json:"deployment_id"`
}

// upload PUTs the script as multipart (a JSON metadata part, one part per
// module): a new version, deployed at once to all traffic.
func upload(ctx context.Context, cf *clients.Cloudflare, name string, meta uploadMetadata, modules []module) (*uploadResult, error) {
	body, contentType, err := uploadForm(meta, modules)
	if err != nil {
		return nil, err
	}
	var res uploadResult
	err = cf.Do(ctx, clients.Call{
		Method: http.MethodPut, Path: scriptPath(cf, name), Query: url.Values{"excludeScript": {"true"}},
		Body: body, ContentType: contentType,
	}, &res)
	return &res, err
}

// versionResult is what a version upload answers (cloudflare-go v7
// ScriptVersionNewResponse): the version's id and its code's etag.
type versionResult struct {
	ID        string `json:"id"`
	Resources struct {
		Script struct {
			Etag string `json:"etag"`
		} `json:"script"`
	} `json:"resources"`
}

// uploadVersion POSTs the same form to .../versions: a new version that is
// not deployed, with the bindings it does not name inherited strictly, as
// `wrangler versions upload` sends it (deploy-helpers versions-upload.ts).
func uploadVersion(ctx context.Context, cf *clients.Cloudflare, name string, meta uploadMetadata, modules []module) (*versionResult, error) {
	body, contentType, err := uploadForm(meta, modules)
	if err != nil {
		return nil, err
	}
	var res versionResult
	err = cf.Do(ctx, clients.Call{
		Method: http.MethodPost, Path: scriptPath(cf, name, "versions"), Query: url.Values{"bindings_inherit": {"strict"}},
		Body: body, ContentType: contentType,
	}, &res)
	return &res, err
}

func uploadForm(meta uploadMetadata, modules []module) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="metadata"; filename="metadata.json"`)
	h.Set("Content-Type", "application/json")
	if err := writePart(w, h, metaJSON); err != nil {
		return nil, "", err
	}
	for _, m := range modules {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, m.Name, m.Name))
		h.Set("Content-Type", m.ContentType)
		if err := writePart(w, h, m.Content); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// readVersion reads one version's code etag and settings: what a refresh
// of a script with deploy = false compares (cloudflare-go v7
// ScriptVersionGetResponse resources.bindings and script_runtime).
func readVersion(ctx context.Context, cf *clients.Cloudflare, name, id string) (etag string, s settings, err error) {
	v, err := clients.Get[struct {
		Resources struct {
			Bindings []binding `json:"bindings"`
			Script   struct {
				Etag string `json:"etag"`
			} `json:"script"`
			Runtime struct {
				CompatibilityDate  string   `json:"compatibility_date"`
				CompatibilityFlags []string `json:"compatibility_flags"`
			} `json:"script_runtime"`
		} `json:"resources"`
	}](ctx, cf, scriptPath(cf, name, "versions", id), nil)
	if err != nil {
		return "", s, err
	}
	r := v.Resources
	return r.Script.Etag, settings{Bindings: r.Bindings, CompatibilityDate: r.Runtime.CompatibilityDate, CompatibilityFlags: r.Runtime.CompatibilityFlags}, nil
}

func writePart(w *multipart.Writer, h textproto.MIMEHeader, content []byte) error {
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = part.Write(content)
	return err
}

// deployedVersion returns the id of the version serving most of the
// traffic of the script's newest deployment.
func deployedVersion(ctx context.Context, cf *clients.Cloudflare, name string) (version string, err error) {
	res, err := clients.Get[struct {
		Deployments []struct {
			Versions []struct {
				VersionID  string  `json:"version_id"`
				Percentage float64 `json:"percentage"`
			} `json:"versions"`
		} `json:"deployments"`
	}](ctx, cf, scriptPath(cf, name, "deployments"), nil)
	if err != nil || len(res.Deployments) == 0 {
		return "", err
	}
	d := res.Deployments[0] // newest first (wrangler versions-api.ts)
	best := -1.0
	for _, v := range d.Versions {
		if v.Percentage > best {
			version, best = v.VersionID, v.Percentage
		}
	}
	return uuidForm(version), nil
}

// settings is what GET .../settings answers of the versioned settings this
// resource manages; secrets are listed by name only.
type settings struct {
	Bindings           []binding `json:"bindings"`
	CompatibilityDate  string    `json:"compatibility_date"`
	CompatibilityFlags []string  `json:"compatibility_flags"`
}

// readSettings reads the settings once per operation: officehours_worker_secret
// reads the same answer (as json.RawMessage) for the script's secrets.
func readSettings(ctx context.Context, cf *clients.Cloudflare, name string) (settings, error) {
	var s settings
	raw, err := clients.SharedGet[json.RawMessage](ctx, cf, scriptPath(cf, name, "settings"), nil)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("GET /%s: reading the result: %w", scriptPath(cf, name, "settings"), err)
	}
	return s, nil
}

// readContent downloads the deployed modules: multipart for a module Worker
// (the main module first), raw for a service worker.
func readContent(ctx context.Context, cf *clients.Cloudflare, name string) ([]module, error) {
	contentType, body, err := cf.Download(ctx, scriptPath(cf, name, "content", "v2"))
	if err != nil {
		return nil, err
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" {
		return []module{{Name: name + ".js", Content: body}}, nil
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var modules []module
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
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

// uuidForm writes a version or deployment id in the hyphenated form.
// Cloudflare sends some ids as 32 hex digits (wrangler workers-utils
// parse.ts converts them), so both forms name the same id.
func uuidForm(id string) string {
	if len(id) != 32 || strings.ContainsRune(id, '-') {
		return id
	}
	return id[0:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32]
}
