package workers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

const token = "test-token-0123456789abcdefghijklmnopqrs"

type envelope struct {
	Success bool `json:"success"`
	Errors  []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	Result json.RawMessage `json:"result"`
}

// api is a started local API with helpers for one test.
type api struct {
	t    *testing.T
	srv  *localapi.Server
	base string // .../client/v4
	acct string // .../client/v4/accounts/{id}
}

// start serves with every write visible at once, for the tests of other
// behaviour than eventual consistency; startWith serves cfg.
func start(t *testing.T) *api {
	t.Helper()
	return startWith(t, localapi.Config{Consistent: true})
}

func startWith(t *testing.T, cfg localapi.Config) *api {
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
	return &api{t: t, srv: s, base: base, acct: base + "/accounts/" + s.AccountID()}
}

// do sends a request and decodes the envelope of a JSON answer; raw is the
// body as sent back (a script's content is not enveloped).
func (a *api) do(method, url, contentType string, body []byte) (int, envelope, []byte, http.Header) {
	a.t.Helper()
	req, _ := http.NewRequestWithContext(a.t.Context(), method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := testutil.ReadAll(a.t, resp.Body)
	var env envelope
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		testutil.Decode(a.t, raw, &env)
	}
	return resp.StatusCode, env, raw, resp.Header
}

// json sends a JSON body (or none) and fails the test unless it succeeds.
func (a *api) ok(method, url string, body any, out any) {
	a.t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	status, env, raw, _ := a.do(method, url, "application/json", data)
	if status != 200 || !env.Success {
		a.t.Fatalf("%s %s: %d %s", method, url, status, raw)
	}
	if out != nil {
		if err := json.Unmarshal(env.Result, out); err != nil {
			a.t.Fatalf("%s %s: result %s: %v", method, url, env.Result, err)
		}
	}
}

// fails sends a JSON body and checks the HTTP status and error code.
func (a *api) fails(method, url string, body any, status, code int) string {
	a.t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	got, env, raw, _ := a.do(method, url, "application/json", data)
	return checkFailure(a.t, got, env, raw, status, code)
}

func checkFailure(t *testing.T, got int, env envelope, raw []byte, status, code int) string {
	t.Helper()
	if got != status || env.Success || len(env.Errors) == 0 || env.Errors[0].Code != code {
		t.Fatalf("want HTTP %d code %d, got %d: %s", status, code, got, raw)
	}
	return env.Errors[0].Message
}

// upload is a script upload: metadata and modules.
type upload struct {
	meta map[string]any
	// jsonMeta sends metadata as a file part with a JSON content type, as
	// the Go SDKs do; otherwise it is a plain form field, as wrangler sends it.
	jsonMeta bool
	modules  []module
}

type module struct{ name, contentType, content string }

func (u upload) body(t testing.TB) (string, []byte) {
	t.Helper()
	meta, err := json.Marshal(u.meta)
	if err != nil {
		t.Fatal(err)
	}
	f := testutil.NewForm(t)
	if u.jsonMeta {
		f.File("metadata", "blob", "application/json", meta)
	} else {
		f.Field("metadata", string(meta))
	}
	for _, m := range u.modules {
		f.File("files", m.name, m.contentType, []byte(m.content))
	}
	return f.Finish()
}

// put uploads a script with PUT and returns the status and envelope.
func (a *api) put(name string, u upload) (int, envelope, []byte) {
	a.t.Helper()
	ct, body := u.body(a.t)
	status, env, raw, _ := a.do("PUT", a.acct+"/workers/scripts/"+name, ct, body)
	return status, env, raw
}

// mustPut uploads and returns the result.
func (a *api) mustPut(name string, u upload) map[string]any {
	a.t.Helper()
	status, env, raw := a.put(name, u)
	if status != 200 || !env.Success {
		a.t.Fatalf("upload %s: %d %s", name, status, raw)
	}
	var out map[string]any
	testutil.Decode(a.t, env.Result, &out)
	return out
}

// worker is a module Worker upload with the given code, bindings and extras.
func worker(code string, bindings []map[string]any, extra map[string]any) upload {
	meta := map[string]any{"main_module": "index.js", "compatibility_date": "2025-03-11", "bindings": bindings}
	for k, v := range extra {
		meta[k] = v
	}
	return upload{meta: meta, modules: []module{{"index.js", "application/javascript+module", code}}}
}

const doCode = "export class SlotGenerator {}\nexport default { fetch() { return new Response('ok') } }\n"

// service reads GET /workers/services/api: default_environment.script.
func (a *api) service() map[string]any {
	a.t.Helper()
	var out struct {
		DefaultEnvironment struct {
			Script map[string]any `json:"script"`
		} `json:"default_environment"`
	}
	a.ok("GET", a.acct+"/workers/services/api", nil, &out)
	return out.DefaultEnvironment.Script
}

// kvNamespace creates the namespace "cache".
func (a *api) kvNamespace() string {
	a.t.Helper()
	var ns struct{ ID string }
	a.ok("POST", a.acct+"/storage/kv/namespaces", map[string]string{"title": "cache"}, &ns)
	return ns.ID
}
