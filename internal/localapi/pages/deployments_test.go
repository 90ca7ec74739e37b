package pages_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
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

// deploy posts a multipart deployment as wrangler's direct upload does.
func deploy(t *testing.T, a *api, branch string) deployment {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("branch", branch)
	_ = w.WriteField("commit_message", "deploy "+branch)
	_ = w.WriteField("manifest", "{}")
	w.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", a.projects+"/cf-office-hours/deployments", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Success bool
		Result  deployment
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || !env.Success {
		t.Fatalf("deploy %s: %d %v", branch, resp.StatusCode, err)
	}
	return env.Result
}

func TestDeploymentsListForWrangler(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
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
	a.ok("DELETE", a.projects+"/cf-office-hours/deployments/"+prod.ID, "", nil)
	a.fails("GET", a.projects+"/cf-office-hours/deployments/"+prod.ID, "", 404, 8000009)
}
