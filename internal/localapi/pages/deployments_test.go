package pages_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesmanifest"
)

type deployment struct {
	ID          string `json:"id"`
	Environment string `json:"environment"`
	URL         string `json:"url"`
	ProjectName string `json:"project_name"`
	LatestStage struct {
		Status  string `json:"status"`
		EndedOn string `json:"ended_on"`
	} `json:"latest_stage"`
	DeploymentTrigger struct {
		Metadata struct {
			Branch     string `json:"branch"`
			CommitHash string `json:"commit_hash"`
		} `json:"metadata"`
	} `json:"deployment_trigger"`
	EnvVars map[string]struct{ Type, Value string } `json:"env_vars"`
}

// deploy uploads one file and posts a multipart deployment of it, as
// wrangler's direct upload does.
func deploy(t *testing.T, a *api, branch string) deployment {
	t.Helper()
	jwt := uploadToken(t, a)
	hash := pagesmanifest.Hash([]byte("<h1>"+branch+"</h1>"), "index.html")
	a.withBearer(jwt, a.base+"/pages/assets/upload",
		`[{"key":"`+hash+`","value":"`+base64.StdEncoding.EncodeToString([]byte("<h1>"+branch+"</h1>"))+`","metadata":{"contentType":"text/html"},"base64":true}]`, 200)
	status, env := postDeployment(t, a, map[string]string{"branch": branch, "commit_message": "deploy " + branch, "manifest": `{"/index.html":"` + hash + `"}`})
	var d deployment
	if status != 200 || json.Unmarshal(env.Result, &d) != nil {
		t.Fatalf("deploy %s: %d %+v", branch, status, env.Errors)
	}
	return d
}

func postDeployment(t *testing.T, a *api, fields map[string]string) (int, envelope) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	w.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", a.projects+"/cf-office-hours/deployments", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, env
}

func uploadToken(t *testing.T, a *api) string {
	t.Helper()
	var out struct{ JWT string }
	a.ok("GET", a.projects+"/cf-office-hours/upload-token", "", &out)
	return out.JWT
}

// withBearer posts to an assets endpoint with an upload token and checks
// the status.
func (a *api) withBearer(jwt, url, body string, want int) envelope {
	a.t.Helper()
	req, _ := http.NewRequestWithContext(a.t.Context(), "POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+jwt)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || resp.StatusCode != want {
		a.t.Fatalf("POST %s: %d (want %d) %+v %v", url, resp.StatusCode, want, env.Errors, err)
	}
	return env
}

// directUpload is the project without its Git source.
var directUpload = strings.Replace(officeHours, `"source": {"type": "github", "config": {"owner": "youcanjustdothings", "repo_name": "cf-office-hours"}},`, "", 1)

func TestDeploymentsListForWrangler(t *testing.T) {
	a := start(t, localapi.Config{Consistent: true}) // deployments finish at once
	a.ok("POST", a.projects, directUpload, nil)
	prod := deploy(t, a, "main")
	preview := deploy(t, a, "develop")

	if prod.Environment != "production" || preview.Environment != "preview" {
		t.Fatalf("environments %q and %q", prod.Environment, preview.Environment)
	}
	// Fields wrangler's `pages deployment list` reads.
	if len(prod.DeploymentTrigger.Metadata.CommitHash) != 40 || prod.LatestStage.Status != "success" || prod.LatestStage.EndedOn == "" ||
		prod.URL == "" || prod.ProjectName != "cf-office-hours" {
		t.Errorf("deployment %+v lacks what wrangler shows", prod)
	}
	if v := prod.EnvVars["VITE_SUPABASE_ANON_KEY"]; v.Type != "secret_text" || v.Value != "" {
		t.Errorf("deployment shows the secret as %+v", v)
	}

	var all, previews []deployment
	a.ok("GET", a.projects+"/cf-office-hours/deployments", "", &all)
	a.ok("GET", a.projects+"/cf-office-hours/deployments?env=preview", "", &previews)
	if len(all) != 2 || all[0].ID != preview.ID || len(previews) != 1 || previews[0].ID != preview.ID {
		t.Errorf("all %+v, previews %+v", all, previews)
	}

	var p Project
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if p.LatestDeployment == nil || p.LatestDeployment.ID != preview.ID || p.CanonicalDeployment.ID != prod.ID {
		t.Errorf("latest %+v canonical %+v", p.LatestDeployment, p.CanonicalDeployment)
	}

	var one deployment
	a.ok("GET", a.projects+"/cf-office-hours/deployments/"+prod.ID, "", &one)
	a.fails("DELETE", a.projects+"/cf-office-hours/deployments/"+prod.ID, "", 400, 8000000) // it serves production
	a.ok("DELETE", a.projects+"/cf-office-hours/deployments/"+prod.ID+"?force=true", "", nil)
	a.fails("GET", a.projects+"/cf-office-hours/deployments/"+prod.ID, "", 404, 8000009)
}

// Direct upload as wrangler's src/pages/upload.ts drives it: only the
// hashes the account lacks are missing, the token is the Bearer (and
// expires), a manifest naming a file never uploaded is refused, and a
// rollback makes an earlier production deployment the one that serves.
func TestDirectUploadAndRollback(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	a := start(t, localapi.Config{Now: func() time.Time { return now }})
	a.ok("POST", a.projects, directUpload, nil)
	first := deploy(t, a, "main")

	jwt := uploadToken(t, a)
	known := pagesmanifest.Hash([]byte("<h1>main</h1>"), "index.html")
	fresh := pagesmanifest.Hash([]byte("new"), "app.js")
	var missing []string
	env := a.withBearer(jwt, a.base+"/pages/assets/check-missing", `{"hashes":["`+known+`","`+fresh+`"]}`, 200)
	if json.Unmarshal(env.Result, &missing) != nil || strings.Join(missing, ",") != fresh {
		t.Errorf("check-missing: %s", env.Result)
	}
	a.withBearer(token, a.base+"/pages/assets/check-missing", `{"hashes":[]}`, 401) // the API token is not an upload token
	a.withBearer(jwt, a.base+"/pages/assets/check-missing", `{"hashes":["not-a-hash"]}`, 400)

	if status, env := postDeployment(t, a, map[string]string{"branch": "main", "manifest": `{"/app.js":"` + fresh + `"}`}); status != 400 ||
		!strings.Contains(env.Errors[0].Message, "/app.js") {
		t.Errorf("a manifest naming a file never uploaded: %d %+v", status, env.Errors)
	}
	if status, _ := postDeployment(t, a, map[string]string{"branch": "main", "manifest": `{}`}); status != 400 {
		t.Errorf("an empty manifest: %d", status)
	}

	now = now.Add(2 * time.Second)
	second := deploy(t, a, "main")
	var p Project
	// Answered before its deploy stage is done, as wrangler's polling of
	// the deployment expects: first still serves.
	if second.LatestStage.Status != "active" {
		t.Errorf("a new deployment's stage is %q, want active", second.LatestStage.Status)
	}
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if p.CanonicalDeployment.ID != first.ID {
		t.Errorf("canonical %s while the new deployment is deploying, want %s", p.CanonicalDeployment.ID, first.ID)
	}
	now = now.Add(2 * time.Second)
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if p.CanonicalDeployment.ID != second.ID {
		t.Fatalf("canonical %s, want the newest production deployment %s", p.CanonicalDeployment.ID, second.ID)
	}
	a.ok("POST", a.projects+"/cf-office-hours/deployments/"+first.ID+"/rollback", "", nil)
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if p.CanonicalDeployment.ID != first.ID {
		t.Errorf("after the rollback canonical is %s, want %s", p.CanonicalDeployment.ID, first.ID)
	}
	preview := deploy(t, a, "develop")
	a.fails("POST", a.projects+"/cf-office-hours/deployments/"+preview.ID+"/rollback", "", 400, 8000000)

	now = now.Add(6 * time.Minute)
	a.withBearer(jwt, a.base+"/pages/assets/check-missing", `{"hashes":[]}`, 401)
}

// A project connected to Git is built from its repository: an upload to
// it is refused.
func TestDirectUploadToGitProjectRefused(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
	if status, env := postDeployment(t, a, map[string]string{"branch": "main", "manifest": `{"/index.html":"1cdb0835ab8869428dd5a857724085fb"}`}); status != 400 ||
		!strings.Contains(env.Errors[0].Message, "connected to a Git repository") {
		t.Fatalf("%d %+v", status, env.Errors)
	}
}
