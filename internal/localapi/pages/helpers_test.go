package pages_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

const token = "pages-test-token-0123456789abcdefghijklm"

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type envelope struct {
	Success    bool            `json:"success"`
	Errors     []apiError      `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *struct {
		Page       int `json:"page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
	} `json:"result_info"`
}

// api is a started local API with helpers for the Pages paths.
type api struct {
	t        *testing.T
	server   *localapi.Server
	base     string // .../client/v4
	projects string // .../accounts/{id}/pages/projects
}

func start(t *testing.T, cfg localapi.Config) *api {
	t.Helper()
	cfg.Token = token
	s, err := localapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &api{t: t, server: s, base: base, projects: base + "/accounts/" + s.AccountID() + "/pages/projects"}
}

// do sends a request and decodes the envelope; out (if not nil) receives
// the result.
func (a *api) do(method, url, body string, out any) (int, envelope) {
	a.t.Helper()
	req, _ := http.NewRequestWithContext(a.t.Context(), method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data := testutil.ReadAll(a.t, resp.Body)
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		a.t.Fatalf("%s %s: not an envelope: %s", method, url, data)
	}
	if out != nil && env.Success {
		if err := json.Unmarshal(env.Result, out); err != nil {
			a.t.Fatalf("%s %s: result %s: %v", method, url, env.Result, err)
		}
	}
	return resp.StatusCode, env
}

// ok is do that fails the test unless the call succeeds.
func (a *api) ok(method, url, body string, out any) {
	a.t.Helper()
	if status, env := a.do(method, url, body, out); status != 200 || !env.Success {
		a.t.Fatalf("%s %s: %d %+v", method, url, status, env.Errors)
	}
}

// fails is do that fails the test unless the call fails with status and code.
func (a *api) fails(method, url, body string, status, code int) apiError {
	a.t.Helper()
	got, env := a.do(method, url, body, nil)
	if got != status || env.Success || len(env.Errors) == 0 || env.Errors[0].Code != code {
		a.t.Fatalf("%s %s: got %d %+v, want %d with code %d", method, url, got, env.Errors, status, code)
	}
	return env.Errors[0]
}

// Project is the part of the project object the tests read.
type Project struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Subdomain        string   `json:"subdomain"`
	Domains          []string `json:"domains"`
	ProductionBranch string   `json:"production_branch"`
	CreatedOn        string   `json:"created_on"`
	Source           *struct {
		Type   string         `json:"type"`
		Config map[string]any `json:"config"`
	} `json:"source"`
	BuildConfig       map[string]any `json:"build_config"`
	DeploymentConfigs map[string]struct {
		EnvVars            map[string]struct{ Type, Value string } `json:"env_vars"`
		CompatibilityDate  string                                  `json:"compatibility_date"`
		CompatibilityFlags []string                                `json:"compatibility_flags"`
		KVNamespaces       map[string]struct {
			NamespaceID string `json:"namespace_id"`
		} `json:"kv_namespaces"`
	} `json:"deployment_configs"`
	LatestDeployment *struct {
		ID         string `json:"id"`
		ModifiedOn string `json:"modified_on"`
	} `json:"latest_deployment"`
	CanonicalDeployment *struct {
		ID string `json:"id"`
	} `json:"canonical_deployment"`
}
