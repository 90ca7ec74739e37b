package pages

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Direct upload, as `wrangler pages deploy` speaks it (wrangler
// src/pages/upload.ts and src/api/pages/deploy.ts): a project's upload
// token, then with that token as Bearer check-missing (which hashes the
// account lacks), upload (the missing files, base64), upsert-hashes (all
// hashes, so they count as present next time), and finally the deployment
// with a manifest of path => hash.

// Limits and codes of direct upload. wrangler reads max_file_count_allowed
// from the token and enforces 25 MiB a file (src/pages/constants.ts); it
// renews the token on 8000013 (ApiErrorCodes.UNAUTHORIZED in
// src/pages/errors.ts). The token's lifetime is not documented: five
// minutes is assumed, the strictest plausible.
const (
	maxFileCount     = 20000
	maxAssetSize     = 25 * 1024 * 1024
	uploadTokenTTL   = 5 * time.Minute
	codeUnauthorized = 8000013
)

// hashRe is the shape of an asset's hash: 32 hex digits (deploy-helpers
// hash.ts slices BLAKE3's hex to 32).
var hashRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Asset is an uploaded file, by its hash, kept for the account.
type Asset struct {
	ContentType string `json:"content_type"`
	Content     []byte `json:"content"`
}

// uploadToken is what an upload token stands for; the token itself is a
// JWT wrangler can read (exp, max_file_count_allowed), looked up here
// rather than verified.
type uploadToken struct {
	Project string    `json:"project"`
	Expires time.Time `json:"expires"`
}

var errBadUploadToken = core.Errorf(http.StatusUnauthorized, codeUnauthorized, "Authorization failed: the upload token is invalid or has expired.")

func (a *area) routeAssets() {
	a.env.Handle("GET "+base+"/{project_name}/upload-token", func(r *http.Request) (any, *core.Error) {
		var token string
		apiErr := a.withProject(r, true, func(p *project) *core.Error {
			now := a.env.Now()
			exp := now.Add(uploadTokenTTL)
			claims, _ := json.Marshal(map[string]any{"project_name": p.Name, "max_file_count_allowed": maxFileCount, "exp": exp.Unix()})
			token = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
				base64.RawURLEncoding.EncodeToString(claims) + "." + core.NewID()
			if a.state.UploadTokens == nil {
				a.state.UploadTokens = map[string]uploadToken{}
			}
			for t, u := range a.state.UploadTokens {
				if now.After(u.Expires) {
					delete(a.state.UploadTokens, t)
				}
			}
			a.state.UploadTokens[token] = uploadToken{Project: p.Name, Expires: exp}
			return nil
		})
		if apiErr != nil {
			return nil, apiErr
		}
		return map[string]string{"jwt": token}, nil
	})

	a.env.Handle("POST /pages/assets/check-missing", func(r *http.Request) (any, *core.Error) {
		var body struct {
			Hashes []string `json:"hashes"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		missing := []string{}
		apiErr := a.withToken(r, false, func() *core.Error {
			for _, h := range body.Hashes {
				if !hashRe.MatchString(h) {
					return core.Errorf(http.StatusBadRequest, codeBadRequest, "Invalid hash %q.", h)
				}
				if _, ok := a.state.Assets[h]; !ok {
					missing = append(missing, h)
				}
			}
			return nil
		})
		return missing, apiErr
	})

	a.env.Handle("POST /pages/assets/upload", func(r *http.Request) (any, *core.Error) {
		var files []struct {
			Key      string `json:"key"`
			Value    string `json:"value"`
			Base64   bool   `json:"base64"`
			Metadata struct {
				ContentType string `json:"contentType"`
			} `json:"metadata"`
		}
		if err := core.DecodeJSON(r, &files); err != nil {
			return nil, err
		}
		assets := map[string]Asset{}
		for _, f := range files {
			content := []byte(f.Value)
			if f.Base64 {
				var err error
				if content, err = base64.StdEncoding.DecodeString(f.Value); err != nil {
					return nil, core.Errorf(http.StatusBadRequest, codeBadRequest, "The value of %s is not base64.", f.Key)
				}
			}
			switch {
			case !hashRe.MatchString(f.Key):
				return nil, core.Errorf(http.StatusBadRequest, codeBadRequest, "Invalid hash %q.", f.Key)
			case len(content) > maxAssetSize:
				return nil, core.Errorf(http.StatusRequestEntityTooLarge, codeBadRequest, "The file %s is larger than 25 MiB.", f.Key)
			}
			assets[f.Key] = Asset{ContentType: f.Metadata.ContentType, Content: content}
		}
		// What the upload answers is not documented and wrangler ignores
		// it: no result is the strictest answer.
		return nil, a.withToken(r, true, func() *core.Error {
			if a.state.Assets == nil {
				a.state.Assets = map[string]Asset{}
			}
			for k, v := range assets {
				a.state.Assets[k] = v
			}
			return nil
		})
	})

	// upsert-hashes keeps uploaded hashes known for later deployments; a
	// hash never uploaded stays missing.
	a.env.Handle("POST /pages/assets/upsert-hashes", func(r *http.Request) (any, *core.Error) {
		var body struct {
			Hashes []string `json:"hashes"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		return nil, a.withToken(r, false, func() *core.Error { return nil })
	})
}

// withToken runs fn under the store's lock when the request carries a
// valid upload token; with write the state is persisted.
func (a *area) withToken(r *http.Request, write bool, fn func() *core.Error) *core.Error {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	run := func() *core.Error {
		u, ok := a.state.UploadTokens[token]
		if !ok || a.env.Now().After(u.Expires) || a.state.find(u.Project) == nil {
			return errBadUploadToken
		}
		return fn()
	}
	if write {
		return a.env.Store.Write(run)
	}
	var err *core.Error
	a.env.Store.Read(func() { err = run() })
	return err
}

// Deployed is what a direct-upload deployment was made with, which the API
// does not return: for tests that compare it with wrangler's.
func Deployed(store *core.Store, project, id string) (manifest map[string]string, headers, redirects string, ok bool) {
	s, _ := store.Section(section).(*State)
	if s == nil {
		return nil, "", "", false
	}
	store.Read(func() {
		if p := s.find(project); p != nil {
			if i, err := findDeployment(p, id); err == nil {
				d := p.Deployments[i]
				manifest, headers, redirects, ok = d.Manifest, d.Headers, d.Redirects, true
			}
		}
	})
	return manifest, headers, redirects, ok
}

// AssetTypes is the content type of every uploaded file by hash: how many
// files were uploaded, and with which types.
func AssetTypes(store *core.Store) map[string]string {
	out := map[string]string{}
	s, _ := store.Section(section).(*State)
	if s == nil {
		return out
	}
	store.Read(func() {
		for h, a := range s.Assets {
			out[h] = a.ContentType
		}
	})
	return out
}
