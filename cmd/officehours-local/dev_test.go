package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/wranglercli"
)

// devStack is `make dev` run from a clean stack of its own: every port
// picked free, so it runs beside a developer's stack, and health checks at
// a hundredth of their interval (the design's 5 minutes are 3 s).
type devStack struct {
	t               *testing.T
	repo, stack     string
	dir             string // the development environment, in a copy of examples/ and modules/
	env             map[string]string
	edge, web       string
	worker, release string
}

func makeDev(t *testing.T) *devStack {
	t.Helper()
	testutil.RequireServices(t)
	wranglercli.Require(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, dir := range []string{"examples", "modules"} {
		if err := bench.CopyTree(filepath.Join(repo, dir), filepath.Join(root, dir)); err != nil {
			t.Fatal(err)
		}
	}
	d := &devStack{t: t, repo: repo, stack: filepath.Join(root, "stack"), dir: filepath.Join(root, "examples", "environments", "development"),
		worker: "cf-office-hours-api-development", release: "2026.12.1"}
	t.Cleanup(func() {
		if out, err := d.make("local-clean"); err != nil {
			t.Logf("make local-clean: %v\n%s", err, out)
		}
	})
	begin := time.Now()
	out, err := d.make("dev")
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(d.stack, "local.log"))
		t.Fatalf("make dev: %v\n%s\nlocal.log:\n%s", err, out, log)
	}
	t.Logf("make dev from a clean stack took %s", time.Since(begin).Round(100*time.Millisecond))
	d.env = readEnv(t, filepath.Join(d.stack, "local.env"))
	d.edge, d.web = d.env["OFFICEHOURS_EDGE_URL"], d.env["OFFICEHOURS_WEB_URL"]
	if !strings.Contains(out, "curl "+d.edge+"/health") || !strings.Contains(out, d.web+"/") {
		t.Fatalf("make dev did not print the two URLs:\n%s", out)
	}
	return d
}

func (d *devStack) make(target string) (string, error) {
	cmd := exec.CommandContext(context.WithoutCancel(d.t.Context()), "make", "--no-print-directory", "-C", d.repo, target, "STACK_DIR="+d.stack, "DEV_DIR="+d.dir,
		"LOCAL_FLAGS=-api-port 0 -db-port 0 -storage-port 0 -edge-port 0 -web-port 0 -time-scale 0.01")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// readEnv reads the exports of local.env.
func readEnv(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	for s := bufio.NewScanner(f); s.Scan(); {
		if name, value, ok := strings.Cut(strings.TrimPrefix(s.Text(), "export "), "="); ok && !strings.HasPrefix(name, "#") {
			env[name] = strings.Trim(value, "'")
		}
	}
	return env
}

// terraform runs terraform on the environment as make dev does.
func (d *devStack) terraform(args ...string) (string, int) {
	cmd := exec.CommandContext(d.t.Context(), os.Getenv("TF_ACC_TERRAFORM_PATH"), append([]string{"-chdir=" + d.dir}, args...)...)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(d.stack, "terraformrc"), "CHECKPOINT_DISABLE=1",
		"TF_VAR_supabase_url="+d.env["SUPABASE_URL"], "TF_VAR_supabase_anon_key="+d.env["SUPABASE_ANON_KEY"], "TF_VAR_edge_url="+d.edge)
	for k, v := range d.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		d.t.Fatal(err)
	}
	return string(out), code
}

func (d *devStack) get(url string) *http.Response {
	d.t.Helper()
	req, _ := http.NewRequestWithContext(d.t.Context(), http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	return res
}

type health struct {
	Status, Environment, Version, Notice string
	Checks                               map[string]string
}

func (d *devStack) health() (int, health) {
	d.t.Helper()
	res := d.get(d.edge + "/health")
	defer res.Body.Close()
	var h health
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		d.t.Fatalf("/health is not JSON: %v", err)
	}
	return res.StatusCode, h
}

// eventually polls until ok, failing after limit.
func eventually(t *testing.T, limit time.Duration, what string, ok func() (bool, any)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		done, last := ok()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %+v", what, limit, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (d *devStack) api(method, path, body string) []byte {
	d.t.Helper()
	req, _ := http.NewRequestWithContext(d.t.Context(), method, d.env["CLOUDFLARE_API_BASE_URL"]+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.env["CLOUDFLARE_API_TOKEN"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		d.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	return data
}

// The end-to-end: make dev, then what the development environment
// deployed answers and follows each change.
func TestMakeDevRunsTheDevelopmentEnvironment(t *testing.T) {
	d := makeDev(t)

	if status, h := d.health(); status != 200 || h.Status != "ok" || h.Environment != "development" || h.Version != d.release {
		t.Fatalf("GET %s/health: %d %+v", d.edge, status, h)
	}

	// A change of the Worker's code, applied, is the next answer.
	main := filepath.Join(d.dir, "..", "app", "worker", "index.js")
	code, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(main, []byte(strings.Replace(string(code), `RELEASE = "`+d.release+`"`, `RELEASE = "2026.12.2"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := d.terraform("apply", "-input=false", "-auto-approve", "-no-color"); code != 0 {
		t.Fatalf("terraform apply of the new code: %s", out)
	}
	eventually(t, time.Second, "the new release", func() (bool, any) { _, h := d.health(); return h.Version == "2026.12.2", h })

	// A rollback by wrangler is the next answer, and the next plan shows it.
	// KV values put through the API right after it are read by the rolled
	// back Worker: its isolates are new, so nothing is cached there yet (a
	// Worker that read a key reads a new value only after KV's cache of 60 s).
	var outputs map[string]struct{ Value json.RawMessage }
	out, _ := d.terraform("output", "-json")
	if err := json.Unmarshal([]byte(out), &outputs); err != nil {
		t.Fatalf("terraform output: %v\n%s", err, out)
	}
	var kv map[string]string
	if err := json.Unmarshal(outputs["kv_namespace_ids"].Value, &kv); err != nil {
		t.Fatal(err)
	}
	acct := "/accounts/" + d.env["CLOUDFLARE_ACCOUNT_ID"]
	cli := wranglercli.New(t, wranglercli.API{BaseURL: d.env["CLOUDFLARE_API_BASE_URL"], Token: d.env["CLOUDFLARE_API_TOKEN"], AccountID: d.env["CLOUDFLARE_ACCOUNT_ID"]})
	var versions []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(cli.Run(t, d.dir, "", "versions", "list", "--name", d.worker, "--json")), &versions); err != nil || len(versions) < 2 {
		t.Fatalf("wrangler versions list: %v %+v", err, versions)
	}
	previous := versions[len(versions)-2].ID
	cli.Run(t, d.dir, "", "rollback", previous, "--name", d.worker, "--message", "back to "+d.release, "--yes")
	d.api("PUT", acct+"/storage/kv/namespaces/"+kv["CACHE"]+"/values/notice", "Office hours move to Thursday")
	// The operators' switch: the Worker is made to fail /health.
	d.api("PUT", acct+"/storage/kv/namespaces/"+kv["CACHE"]+"/values/health:failing", "maintenance")
	eventually(t, time.Second, "the rollback", func() (bool, any) { _, h := d.health(); return h.Version == d.release, h })
	if status, h := d.health(); status != 503 || h.Status != "failing" || h.Notice != "Office hours move to Thursday" {
		t.Fatalf("the rolled back Worker does not read the KV values put through the API: %d %+v", status, h)
	}
	if out, code := d.terraform("plan", "-input=false", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, "officehours_worker") {
		t.Fatalf("the plan after wrangler rollback (exit %d) does not show it:\n%s", code, out)
	}

	// The web app's index page is served on the web port, with its _headers.
	res := d.get(d.web + "/")
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "CF Office Hours") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("GET %s/: %d %v\n%s", d.web, res.StatusCode, res.Header, page)
	}
	// ... and its _redirects.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, d.web+"/home", nil)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	moved, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	moved.Body.Close()
	if moved.StatusCode != http.StatusMovedPermanently || moved.Header.Get("Location") != "/" {
		t.Fatalf("GET %s/home: %d to %q, want the _redirects rule's 301 to /", d.web, moved.StatusCode, moved.Header.Get("Location"))
	}

	// The failing Worker turns its health check unhealthy and fires the alert.
	var check struct{ ID string }
	if err := json.Unmarshal(outputs["health_check"].Value, &check); err != nil {
		t.Fatal(err)
	}
	zone := "/zones/" + d.env["OFFICEHOURS_ZONE_ID"] + "/healthchecks/" + check.ID
	eventually(t, 45*time.Second, "the health check turning unhealthy", func() (bool, any) {
		var got struct {
			Result struct {
				Status        string
				FailureReason string `json:"failure_reason"`
			}
		}
		_ = json.Unmarshal(d.api("GET", zone, ""), &got)
		return got.Result.Status == "unhealthy" && got.Result.FailureReason == "Response code mismatch error", got.Result
	})
	eventually(t, 5*time.Second, "the alert", func() (bool, any) {
		var sent struct {
			Result []struct {
				Mechanism string
				AlertBody string `json:"alert_body"`
			}
		}
		_ = json.Unmarshal(d.api("GET", acct+"/alerting/v3/history", ""), &sent)
		for _, s := range sent.Result {
			if strings.Contains(s.AlertBody, "Unhealthy") {
				return true, s
			}
		}
		return false, sent.Result
	})
}
