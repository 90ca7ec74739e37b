package localruntime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localruntime"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/wranglercli"
)

// The Worker of these tests answers which release it is, what its
// bindings hold, and counts in its Durable Object.
const workerCode = `
const RELEASE = "%s";
export class Counter {
  constructor(ctx) { this.ctx = ctx }
  async fetch() {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/count":
        return env.COUNTER.get(env.COUNTER.idFromName("one")).fetch(request);
      case "/kv":
        if (request.method === "PUT") { await env.CACHE.put(url.searchParams.get("key"), await request.text()); return new Response("stored") }
        return Response.json({ value: await env.CACHE.get(url.searchParams.get("key")), listed: (await env.CACHE.list({ limit: 1 })).keys.length });
    }
    return Response.json({ release: RELEASE, host: url.host, environment: env.ENVIRONMENT, settings: env.SETTINGS, token: env.API_TOKEN ?? null });
  },
};
`

func start(t *testing.T, statePath, runtimeDir string) (*acctest.Cloudflare, *httptest.Server) {
	t.Helper()
	cf := acctest.NewCloudflareWith(t, localapi.Config{StatePath: statePath})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	rt, err := localruntime.Start(ctx, localruntime.Options{API: cf.Server, Dir: runtimeDir, Logs: testWriter{t}, BareHost: "api." + localapi.DefaultZone})
	if err != nil {
		t.Fatal(err)
	}
	edge := httptest.NewServer(rt.Edge())
	t.Cleanup(func() { edge.Close(); rt.Close() })
	return cf, edge
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// get asks the edge for host+path and returns status and body.
func get(t *testing.T, edge *httptest.Server, method, host, path, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, edge.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

// servedWithin is how soon what the API deployed must be served.
const servedWithin = time.Second

// within polls the edge until check holds, failing after servedWithin.
func within(t *testing.T, what string, check func() (bool, string)) time.Duration {
	t.Helper()
	begin := time.Now()
	for {
		ok, last := check()
		if ok {
			return time.Since(begin)
		}
		if time.Since(begin) > servedWithin {
			t.Fatalf("%s: not served within %s; last answer: %s", what, servedWithin, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeProject(t *testing.T, dir, release, kvID string) {
	t.Helper()
	files := map[string]string{
		"src/index.js": fmt.Sprintf(workerCode, release),
		"wrangler.toml": fmt.Sprintf(`name = "api"
main = "src/index.js"
compatibility_date = "2025-03-11"
no_bundle = true
routes = [{ pattern = "api.%[1]s/*", zone_name = "%[1]s" }]

[vars]
ENVIRONMENT = "development"
SETTINGS = { slots_per_day = 8 }

[[kv_namespaces]]
binding = "CACHE"
id = %[2]q

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter"]
`, localapi.DefaultZone, kvID),
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// What wrangler deploys runs, by its route, with its vars, JSON vars, KV and
// Durable Object; a secret, a new version, a gradual deployment and a
// rollback are served within a second of the wrangler command that made
// them; Durable Object state outlives a redeploy and a restart of the stack.
func TestRuntimeServesWhatWranglerDeploys(t *testing.T) {
	dir := t.TempDir()
	statePath, runtimeDir := filepath.Join(dir, "state.json"), filepath.Join(dir, "workers")
	cf, edge := start(t, statePath, runtimeDir)
	cli := wranglercli.New(t, wranglercli.API{BaseURL: cf.URL, Token: acctest.Token, AccountID: cf.AccountID()})
	var kv struct{ ID string }
	cf.Decode(t, "POST", cf.AccountPath("/storage/kv/namespaces"), map[string]string{"title": "runtime-cache"}, &kv)
	project := t.TempDir()
	api := "api." + localapi.DefaultZone

	if status, body := get(t, edge, "GET", api, "/", ""); status != 530 || body != "error code: 1016" {
		t.Fatalf("before any deploy the edge answered %d %q, want Cloudflare's 530 and error code 1016", status, body)
	}
	writeProject(t, project, "r1", kv.ID)
	cli.Run(t, project, "", "deploy")
	within(t, "the first deploy", func() (bool, string) {
		_, body := get(t, edge, "GET", api, "/", "")
		return strings.Contains(body, `"release":"r1"`), body
	})
	_, body := get(t, edge, "GET", api, "/?q=1", "")
	var answer struct {
		Host, Environment string
		Settings          map[string]int
		Token             *string
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil || answer.Host != api || answer.Environment != "development" || answer.Settings["slots_per_day"] != 8 || answer.Token != nil {
		t.Fatalf("the Worker answered %s (%v)", body, err)
	}
	if status, body := get(t, edge, "GET", "www."+localapi.DefaultZone, "/", ""); status != 530 || body != "error code: 1016" {
		t.Errorf("a host of the zone with no route: %d %q", status, body)
	}
	if status, body := get(t, edge, "GET", "example.org", "/", ""); status != 530 || body != "error code: 1001" {
		t.Errorf("a host of no zone: %d %q", status, body)
	}
	if _, body := get(t, edge, "GET", "127.0.0.1", "/", ""); !strings.Contains(body, `"host":"`+api+`"`) {
		t.Errorf("the bare address is not taken for the API's host: %s", body)
	}

	// One KV store: the API writes, the Worker reads, and the other way round.
	cli.Run(t, project, "", "kv", "key", "put", "greeting", "hello from wrangler", "--namespace-id", kv.ID, "--remote")
	if _, body := get(t, edge, "GET", api, "/kv?key=greeting", ""); !strings.Contains(body, `"value":"hello from wrangler"`) || !strings.Contains(body, `"listed":1`) {
		t.Errorf("the Worker read %s", body)
	}
	// KV's cache where the key was read: a value written elsewhere is not
	// read there at once (the KV docs: up to the cacheTtl, 60 s by default).
	cli.Run(t, project, "", "kv", "key", "put", "greeting", "changed by wrangler", "--namespace-id", kv.ID, "--remote")
	if _, body := get(t, edge, "GET", api, "/kv?key=greeting", ""); !strings.Contains(body, `"value":"hello from wrangler"`) {
		t.Errorf("a value written elsewhere was read at once where the key was cached: %s", body)
	}
	if _, body := get(t, edge, "PUT", api, "/kv?key=from-worker", "written by the Worker"); body != "stored" {
		t.Fatalf("the Worker's KV put answered %s", body)
	}
	if got := cli.Run(t, project, "", "kv", "key", "get", "from-worker", "--namespace-id", kv.ID, "--remote"); strings.TrimSpace(got) != "written by the Worker" {
		t.Errorf("wrangler kv key get read %q", got)
	}
	if _, body := get(t, edge, "GET", api, "/kv?key=from-worker", ""); !strings.Contains(body, `"value":"written by the Worker"`) {
		t.Errorf("a write through the binding is not read back where it was made: %s", body)
	}

	// Durable Object state.
	for want := 1; want <= 2; want++ {
		if _, body := get(t, edge, "GET", api, "/count", ""); body != fmt.Sprint(want) {
			t.Fatalf("count %d: the Durable Object answered %q", want, body)
		}
	}

	// A secret: a new version, served within a second.
	cli.Run(t, project, "s3cret-value\n", "secret", "put", "API_TOKEN")
	took := within(t, "the secret", func() (bool, string) {
		_, body := get(t, edge, "GET", api, "/", "")
		return strings.Contains(body, `"token":"s3cret-value"`), body
	})
	t.Logf("secret served %s after wrangler secret put returned", took)

	// A new release keeps the object's state.
	writeProject(t, project, "r2", kv.ID)
	cli.Run(t, project, "", "deploy")
	within(t, "release r2", func() (bool, string) {
		_, body := get(t, edge, "GET", api, "/", "")
		return strings.Contains(body, `"release":"r2"`), body
	})
	if _, body := get(t, edge, "GET", api, "/count", ""); body != "3" {
		t.Fatalf("after a redeploy the Durable Object counted %q, want 3", body)
	}

	// A gradual deployment: r2 and r3 at 50% each, and the override header.
	var versions []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(cli.Run(t, project, "", "versions", "list", "--json")), &versions); err != nil || len(versions) < 2 {
		t.Fatalf("wrangler versions list: %v %v", versions, err)
	}
	r2 := versions[len(versions)-1].ID
	writeProject(t, project, "r3", kv.ID)
	cli.Run(t, project, "", "versions", "upload")
	if err := json.Unmarshal([]byte(cli.Run(t, project, "", "versions", "list", "--json")), &versions); err != nil {
		t.Fatal(err)
	}
	r3 := versions[len(versions)-1].ID
	cli.Run(t, project, "", "versions", "deploy", r2+"@50%", r3+"@50%", "--yes")
	seen := map[string]int{}
	within(t, "the gradual deployment", func() (bool, string) {
		_, body := get(t, edge, "GET", api, "/", "")
		for _, r := range []string{"r2", "r3"} {
			if strings.Contains(body, `"release":"`+r+`"`) {
				seen[r]++
			}
		}
		return seen["r3"] > 0, body
	})
	for range 200 {
		_, body := get(t, edge, "GET", api, "/", "")
		for _, r := range []string{"r2", "r3"} {
			if strings.Contains(body, `"release":"`+r+`"`) {
				seen[r]++
			}
		}
	}
	if seen["r2"] < 60 || seen["r3"] < 60 {
		t.Errorf("a 50/50 deployment served r2 %d and r3 %d times of 200", seen["r2"], seen["r3"])
	}
	for range 20 {
		if _, body := get(t, edge, "GET", api, "/", "", "Cloudflare-Workers-Version-Overrides", `api="`+r3+`"`); !strings.Contains(body, `"release":"r3"`) {
			t.Fatalf("the version override header was not honoured: %s", body)
		}
	}

	// A rollback by wrangler, to the first version with the secret.
	cli.Run(t, project, "", "rollback", r2, "--message", "back to r2", "--yes")
	within(t, "the rollback", func() (bool, string) {
		for range 10 {
			if _, body := get(t, edge, "GET", api, "/", ""); !strings.Contains(body, `"release":"r2"`) {
				return false, body
			}
		}
		return true, ""
	})

	// A restart of the stack keeps the object's state.
	if _, body := get(t, edge, "GET", api, "/count", ""); body != "4" {
		t.Fatalf("the Durable Object counted %q, want 4", body)
	}
	cf.Close()
	_, edge = start(t, statePath, runtimeDir)
	if _, body := get(t, edge, "GET", api, "/count", ""); body != "5" {
		t.Fatalf("after a restart the Durable Object counted %q, want 5", body)
	}
}

// A Worker that throws at startup (it parses, so the local API stores it)
// does not take the stack's other Workers down: it answers Cloudflare's
// 1101, the others keep answering.
func TestRuntimeKeepsOtherWorkersWhenOneDoesNotStart(t *testing.T) {
	dir := t.TempDir()
	cf, edge := start(t, filepath.Join(dir, "state.json"), filepath.Join(dir, "workers"))
	cli := wranglercli.New(t, wranglercli.API{BaseURL: cf.URL, Token: acctest.Token, AccountID: cf.AccountID()})
	var kv struct{ ID string }
	cf.Decode(t, "POST", cf.AccountPath("/storage/kv/namespaces"), map[string]string{"title": "runtime-cache"}, &kv)
	good := t.TempDir()
	writeProject(t, good, "r1", kv.ID)
	cli.Run(t, good, "", "deploy")

	bad := t.TempDir()
	for name, content := range map[string]string{
		"index.js": "throw new Error('boom at startup');\nexport default { fetch() { return new Response('never') } };\n",
		"wrangler.toml": fmt.Sprintf("name = \"bad\"\nmain = \"index.js\"\ncompatibility_date = \"2025-03-11\"\nno_bundle = true\n"+
			"routes = [{ pattern = \"bad.%[1]s/*\", zone_name = \"%[1]s\" }]\n", localapi.DefaultZone),
	} {
		if err := os.WriteFile(filepath.Join(bad, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cli.Run(t, bad, "", "deploy")
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body := get(t, edge, "GET", "bad."+localapi.DefaultZone, "/", "")
		if status == 500 && body == "error code: 1101" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Worker that throws at startup answered %d %q", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, body := get(t, edge, "GET", "api."+localapi.DefaultZone, "/", ""); !strings.Contains(body, `"release":"r1"`) {
		t.Fatalf("the other Worker stopped answering: %s", body)
	}
}
