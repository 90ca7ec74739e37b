package pagesdeployment

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"sort"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesmanifest"
)

// The upload protocol of `wrangler pages deploy` (wrangler src/pages/
// upload.ts and src/api/pages/deploy.ts): the project's upload token; with
// it as Bearer, check-missing, upload of the missing files in buckets,
// upsert-hashes; then the deployment with the manifest.

// codeUnauthorized is Pages' answer to an expired upload token, on which
// wrangler fetches a new one (src/pages/errors.ts ApiErrorCodes).
const codeUnauthorized = 8000013

// A bucket is one upload request: at most 40 MiB and 2,000 files
// (wrangler src/pages/constants.ts MAX_BUCKET_SIZE, MAX_BUCKET_FILE_COUNT).
const (
	bucketBytes = 40 * 1024 * 1024
	bucketFiles = 2000
)

func projectPath(cf *clients.Cloudflare, project string, rest ...string) string {
	return cf.Account(append([]string{"pages", "projects", project}, rest...)...)
}

type uploader struct {
	cf      *clients.Cloudflare
	project string
	token   string
}

func (u *uploader) renew(ctx context.Context) error {
	t, err := clients.Get[struct {
		JWT string `json:"jwt"`
	}](ctx, u.cf, projectPath(u.cf, u.project, "upload-token"), nil)
	u.token = t.JWT
	return err
}

// assets calls a /pages/assets endpoint with the upload token, renewing
// the token once when Pages says it expired. Each of these calls may be
// sent again: they name files by their content.
func (u *uploader) assets(ctx context.Context, endpoint string, body, out any) error {
	for attempt := 0; ; attempt++ {
		err := u.cf.Write(ctx, clients.Call{Method: http.MethodPost, Path: clients.Path("pages", "assets", endpoint), JSON: body, Token: u.token}, out)
		if attempt > 0 || !clients.HasCode(err, codeUnauthorized) {
			return err
		}
		if err := u.renew(ctx); err != nil {
			return err
		}
	}
}

type uploadFile struct {
	Key      string            `json:"key"`
	Value    string            `json:"value"`
	Metadata map[string]string `json:"metadata"`
	Base64   bool              `json:"base64"`
}

// upload sends the files of site that the account lacks and returns how
// many it sent.
func (u *uploader) upload(ctx context.Context, site *pagesmanifest.Site) (int, error) {
	if err := u.renew(ctx); err != nil {
		return 0, fmt.Errorf("getting the project's upload token: %w", err)
	}
	hashes := site.Hashes()
	var missing []string
	if err := u.assets(ctx, "check-missing", map[string]any{"hashes": hashes}, &missing); err != nil {
		return 0, fmt.Errorf("checking which files Cloudflare lacks: %w", err)
	}
	byHash := map[string]pagesmanifest.File{}
	for _, f := range site.Files {
		byHash[f.Hash] = f
	}
	files := make([]pagesmanifest.File, 0, len(missing))
	for _, h := range missing {
		if f, ok := byHash[h]; ok {
			files = append(files, f)
		}
	}
	// Largest first into as few requests as the bucket limits allow.
	sort.Slice(files, func(i, j int) bool { return files[i].Size > files[j].Size })
	var buckets [][]pagesmanifest.File
	var sizes []int64
	for _, f := range files {
		placed := false
		for i := range buckets {
			if sizes[i]+f.Size <= bucketBytes && len(buckets[i]) < bucketFiles {
				buckets[i], sizes[i], placed = append(buckets[i], f), sizes[i]+f.Size, true
				break
			}
		}
		if !placed {
			buckets, sizes = append(buckets, []pagesmanifest.File{f}), append(sizes, f.Size)
		}
	}
	for _, bucket := range buckets {
		payload := make([]uploadFile, 0, len(bucket))
		for _, f := range bucket {
			content, err := os.ReadFile(f.Path)
			if err != nil {
				return 0, err
			}
			payload = append(payload, uploadFile{Key: f.Hash, Value: base64.StdEncoding.EncodeToString(content),
				Metadata: map[string]string{"contentType": f.ContentType}, Base64: true})
		}
		if err := u.assets(ctx, "upload", payload, nil); err != nil {
			return 0, fmt.Errorf("uploading %d files: %w", len(bucket), err)
		}
	}
	if err := u.assets(ctx, "upsert-hashes", map[string]any{"hashes": hashes}, nil); err != nil {
		return 0, fmt.Errorf("recording the uploaded files: %w", err)
	}
	return len(files), nil
}

// create posts the deployment of site. A lost answer is resolved by
// adopting the newest deployment of the branch made since.
func create(ctx context.Context, cf *clients.Cloudflare, project string, site *pagesmanifest.Site, m *deploymentModel) (apiDeployment, error) {
	manifest, err := json.Marshal(site.Manifest())
	if err != nil {
		return apiDeployment{}, err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields := [][2]string{{"manifest", string(manifest)}, {"branch", m.Branch.ValueString()},
		{"commit_hash", m.CommitHash.ValueString()}, {"commit_message", m.CommitMessage.ValueString()}}
	for _, f := range fields {
		if f[1] != "" {
			if err := w.WriteField(f[0], f[1]); err != nil {
				return apiDeployment{}, err
			}
		}
	}
	for name, content := range map[string][]byte{"_headers": site.Headers, "_redirects": site.Redirects} {
		if content == nil {
			continue
		}
		part, err := w.CreateFormFile(name, name)
		if err == nil {
			_, err = part.Write(content)
		}
		if err != nil {
			return apiDeployment{}, err
		}
	}
	if err := w.Close(); err != nil {
		return apiDeployment{}, err
	}
	started := time.Now().Add(-time.Second)
	call := clients.Call{Method: http.MethodPost, Path: projectPath(cf, project, "deployments"), Body: buf.Bytes(), ContentType: w.FormDataContentType()}
	return clients.Create(ctx,
		func(ctx context.Context) (apiDeployment, error) {
			var d apiDeployment
			err := cf.Do(ctx, call, &d)
			return d, err
		},
		func(ctx context.Context) (apiDeployment, bool, error) {
			list, err := clients.Get[[]apiDeployment](ctx, cf, projectPath(cf, project, "deployments"), url.Values{"per_page": {"10"}})
			for _, d := range list {
				created, _ := time.Parse(time.RFC3339Nano, d.CreatedOn)
				if created.After(started) && (m.Branch.IsNull() || d.Trigger.Metadata.Branch == m.Branch.ValueString()) {
					return d, true, nil
				}
			}
			return apiDeployment{}, false, err
		}, nil)
}

// projectDeployments is what a project says of its deployments: the one
// serving production and the newest. A refresh reads it shared with the
// project's own refresh.
type projectDeployments struct {
	Canonical *apiDeployment `json:"canonical_deployment"`
	Latest    *apiDeployment `json:"latest_deployment"`
}

// readProjectDeployments reads the project: shared with the project's own
// refresh, or fresh where a decision rests on it (a delete).
func readProjectDeployments(ctx context.Context, cf *clients.Cloudflare, project string, shared bool) (projectDeployments, error) {
	var p projectDeployments
	if !shared {
		return clients.Get[projectDeployments](ctx, cf, projectPath(cf, project), nil)
	}
	raw, err := clients.SharedGet[json.RawMessage](ctx, cf, projectPath(cf, project), nil)
	if err == nil {
		err = json.Unmarshal(raw, &p)
	}
	return p, err
}

// deployTimeout bounds the wait for a deployment's deploy stage; wrangler
// gives up after five reads spaced 1 to 16 seconds (31 s).
const deployTimeout = 2 * time.Minute

// waitDeployed waits until Cloudflare has finished deploying d: it answers
// the POST before (wrangler's pages deploy polls latest_stage until deploy
// succeeds or fails), and a deployment serves only then.
func waitDeployed(ctx context.Context, cf *clients.Cloudflare, project string, d apiDeployment) (apiDeployment, error) {
	first := true
	err := clients.Poll(ctx, deployTimeout, func(ctx context.Context) (bool, error) {
		if !first {
			next, err := clients.Get[apiDeployment](ctx, cf, projectPath(cf, project, "deployments", d.ID), nil)
			if err != nil {
				return false, err
			}
			d = next
		}
		first = false
		switch {
		case d.LatestStage.Name == "deploy" && d.LatestStage.Status == "success":
			return true, nil
		case d.LatestStage.Status == "failure":
			return false, fmt.Errorf("deployment %s failed in its %s stage", d.ID, d.LatestStage.Name)
		}
		return false, nil
	})
	if errors.Is(err, clients.ErrPollTimeout) {
		err = fmt.Errorf("deployment %s was still in its %s stage (%s) after %s", d.ID, d.LatestStage.Name, d.LatestStage.Status, deployTimeout)
	}
	return d, err
}
