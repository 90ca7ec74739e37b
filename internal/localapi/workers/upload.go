package workers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// SizeLimit is the largest total size of a script's parts, as on a paid
// plan. Larger uploads fail with 10027.
const SizeLimit = 10 << 20

// metadata is the JSON part of an upload.
type metadata struct {
	MainModule         string            `json:"main_module"`
	BodyPart           string            `json:"body_part"`
	Bindings           []Binding         `json:"bindings"`
	CompatibilityDate  string            `json:"compatibility_date"`
	CompatibilityFlags []string          `json:"compatibility_flags"`
	Migrations         *Migrations       `json:"migrations"`
	KeepBindings       []string          `json:"keep_bindings"`
	Annotations        map[string]string `json:"annotations"`
}

// parseUpload reads a multipart upload: a `metadata` part (sent by wrangler
// as a plain field, by the Go SDKs with a JSON content type; both are
// accepted) and one part per module, named by its file name.
func parseUpload(r *http.Request, metaPart string) (*metadata, []Module, *core.Error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, nil, core.Errorf(http.StatusBadRequest, 10001, "Content-Type must be multipart/form-data with a boundary")
	}
	reader := multipart.NewReader(io.LimitReader(r.Body, 4*SizeLimit), params["boundary"])
	var meta *metadata
	var modules []Module
	size := 0
	for {
		part, err := reader.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, core.Errorf(http.StatusBadRequest, 10001, "malformed multipart body: %v", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, core.Errorf(http.StatusBadRequest, 10001, "reading part %q: %v", part.FormName(), err)
		}
		if part.FormName() == metaPart {
			meta = &metadata{}
			if err := json.Unmarshal(data, meta); err != nil {
				return nil, nil, core.Errorf(http.StatusBadRequest, 10021, "%s part is not valid JSON: %v", metaPart, err)
			}
			continue
		}
		name := part.FileName()
		if name == "" {
			name = part.FormName()
		}
		ct := part.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		size += len(data)
		modules = append(modules, Module{Name: name, ContentType: ct, Content: data})
	}
	if meta == nil {
		return nil, nil, core.Errorf(http.StatusBadRequest, 10021, "the upload has no %s part", metaPart)
	}
	if size > SizeLimit {
		return nil, nil, core.Errorf(http.StatusBadRequest, 10027,
			"Your Worker exceeded the size limit of %d MiB (its parts total %d bytes).", SizeLimit>>20, size)
	}
	return meta, modules, nil
}

// checkContent validates what does not depend on other state.
func (a *area) checkContent(meta *metadata, modules []Module) *core.Error {
	main := meta.MainModule
	if main == "" {
		main = meta.BodyPart
	}
	if main == "" {
		return core.Errorf(http.StatusBadRequest, 10021, "metadata must name the main module in main_module or body_part")
	}
	found := false
	for _, m := range modules {
		found = found || m.Name == main
	}
	if !found {
		return core.Errorf(http.StatusBadRequest, 10021, "Uncaught Error: No such module %q.", main)
	}
	if err := checkSyntax(modules); err != nil {
		return err
	}
	return a.checkCompatibilityDate(meta.CompatibilityDate)
}

func (a *area) checkCompatibilityDate(date string) *core.Error {
	if date == "" {
		return nil
	}
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return core.Errorf(http.StatusBadRequest, 10021, "Invalid compatibility date %q: expected YYYY-MM-DD", date)
	}
	if d.After(a.env.Now().UTC()) {
		return core.Errorf(http.StatusBadRequest, 10021, "Can't set compatibility date in the future: %s", date)
	}
	return nil
}

func scriptJSON(s *Script) map[string]any {
	out := map[string]any{
		"id": s.Name, "tag": s.Tag, "handlers": []string{"fetch"}, "created_on": s.CreatedOn,
		"modified_on": s.ModifiedOn, "usage_model": "standard", "has_modules": true,
		"last_deployed_from": s.LastDeployedFrom, "logpush": false, "tags": []string{},
		"compatibility_flags": []string{}, "has_assets": false,
	}
	if s.MigrationTag != "" {
		out["migration_tag"] = s.MigrationTag
	}
	if v := s.Current(); v != nil {
		out["etag"] = v.Content.Etag()
		out["compatibility_date"] = v.Content.CompatibilityDate
		out["compatibility_flags"] = nonNil(v.Content.CompatibilityFlags)
		out["has_modules"] = v.Content.MainModule != ""
	}
	return out
}

func (a *area) registerUpload() {
	const base = "/accounts/{account_id}/workers/scripts/{script_name}"

	a.env.Handle("PUT "+base, func(r *http.Request) (any, *core.Error) {
		meta, modules, apiErr := parseUpload(r, "metadata")
		if apiErr != nil {
			return nil, apiErr
		}
		if apiErr := a.checkContent(meta, modules); apiErr != nil {
			return nil, apiErr
		}
		name := r.PathValue("script_name")
		if !validScriptName(name) {
			return nil, core.Errorf(http.StatusBadRequest, 10016, "Invalid Worker name %q: use lowercase letters, digits, - and _ (at most 63)", name)
		}
		strict := r.URL.Query().Get("bindings_inherit") == "strict"
		var out map[string]any
		err := a.env.Store.Write(func() *core.Error {
			s := a.state.Script(name)
			var previous *Version
			var classes []Class
			var tag string
			if s != nil {
				previous, classes, tag = s.Current(), s.Classes, s.MigrationTag
			}
			if meta.Migrations != nil {
				var err *core.Error
				if classes, tag, err = applyMigrations(meta.Migrations, classes, tag, modules); err != nil {
					return err
				}
				if err := a.checkDeletedUnbound(name, s, classes); err != nil {
					return err
				}
			}
			// The script API keeps existing secrets when an upload declares
			// none (wrangler deploy relies on it); keep_bindings keeps them
			// when it declares some.
			bindings, err := a.resolveBindings(name, meta.Bindings, previous, keepSecrets(meta), strict, classes)
			if err != nil {
				return err
			}
			now := a.now()
			if s == nil {
				s = &Script{Name: name, Tag: core.NewID(), CreatedOn: now, WorkersDev: true}
				a.state.Scripts = append(a.state.Scripts, s)
			}
			s.Classes, s.MigrationTag = classes, tag
			v := a.addVersion(s, Content{
				MainModule: meta.MainModule, BodyPart: meta.BodyPart, Modules: modules, Bindings: bindings,
				CompatibilityDate: meta.CompatibilityDate, CompatibilityFlags: meta.CompatibilityFlags,
			}, source(r), meta.Annotations)
			a.deploy(s, []Traffic{{VersionID: v.ID, Percentage: 100}}, source(r), nil)
			out = scriptJSON(s)
			// Cloudflare names the new version here (wrangler deploy.ts reads
			// it), in the form without hyphens that wrangler converts
			// (workers-utils parse.ts): clients must accept both.
			out["deployment_id"] = strings.ReplaceAll(v.ID, "-", "")
			out["startup_time_ms"] = 1
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})

	// A version that is not deployed; wrangler deploys it next.
	a.env.Handle("POST "+base+"/versions", func(r *http.Request) (any, *core.Error) {
		meta, modules, apiErr := parseUpload(r, "metadata")
		if apiErr != nil {
			return nil, apiErr
		}
		if apiErr := a.checkContent(meta, modules); apiErr != nil {
			return nil, apiErr
		}
		if meta.Migrations != nil {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "migrations cannot be applied by a version upload; upload the script with PUT instead")
		}
		strict := r.URL.Query().Get("bindings_inherit") == "strict"
		var out map[string]any
		err := a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			// A new version keeps the script's secrets too when it declares
			// none: wrangler deploy uploads through this endpoint without
			// keep_bindings (workers-sdk deploy-helpers deploy.ts, keepSecrets
			// false) and secrets survive a deploy on Cloudflare.
			bindings, err := a.resolveBindings(s.Name, meta.Bindings, s.Current(), keepSecrets(meta), strict, s.Classes)
			if err != nil {
				return err
			}
			v := a.addVersion(s, Content{
				MainModule: meta.MainModule, BodyPart: meta.BodyPart, Modules: modules, Bindings: bindings,
				CompatibilityDate: meta.CompatibilityDate, CompatibilityFlags: meta.CompatibilityFlags,
			}, source(r), meta.Annotations)
			out = versionJSON(s, v)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

func validScriptName(name string) bool {
	if name == "" || len(name) > 63 {
		return false
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func declares(bindings []Binding, typ string) bool {
	for _, b := range bindings {
		if b.Type == typ {
			return true
		}
	}
	return false
}

// multipartBody writes modules as a multipart body, as Cloudflare returns a
// module Worker's content.
func multipartBody(modules []Module) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, m := range modules {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="` + m.Name + `"; filename="` + m.Name + `"`}
		h["Content-Type"] = []string{m.ContentType}
		pw, _ := w.CreatePart(h)
		_, _ = pw.Write(m.Content)
	}
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

// keepSecrets is the binding types an upload keeps from the live version:
// those it names in keep_bindings, and the secrets when it declares none.
func keepSecrets(meta *metadata) []string {
	keep := meta.KeepBindings
	if !declares(meta.Bindings, "secret_text") {
		keep = append(slices.Clone(keep), "secret_text", "secret_key")
	}
	return keep
}
