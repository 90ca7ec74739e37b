package workers_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// secretNames lists the secrets of the Worker "api".
func (a *api) secretNames() string {
	a.t.Helper()
	var list []struct{ Name, Type string }
	a.ok("GET", a.acct+"/workers/scripts/api/secrets", nil, &list)
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// putSecret sets a secret of the Worker "api".
func (a *api) putSecret(name, value string) {
	a.t.Helper()
	a.ok("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": name, "text": value, "type": "secret_text"}, nil)
}

func TestSecretsSurviveUploadsAsCloudflareKeepsThem(t *testing.T) {
	a := start(t)
	a.mustPut("api", worker(doCode, nil, nil))
	a.putSecret("JWT_SECRET", "one")
	a.putSecret("WEBHOOK_SECRET", "two")
	a.putSecret("JWT_SECRET", "three") // rotation replaces
	if got := a.secretNames(); got != "JWT_SECRET,WEBHOOK_SECRET" {
		t.Fatalf("secrets %q", got)
	}

	// An upload that declares no secret keeps them (wrangler deploy).
	a.mustPut("api", worker(doCode+"//1", nil, nil))
	if got := a.secretNames(); got != "JWT_SECRET,WEBHOOK_SECRET" {
		t.Fatalf("after a code upload: %q", got)
	}
	// One that declares a secret replaces them all unless keep_bindings.
	secret := []map[string]any{{"type": "secret_text", "name": "AIRTABLE_API_KEY", "text": "x"}}
	a.mustPut("api", worker(doCode, secret, map[string]any{"keep_bindings": []string{"secret_text"}}))
	if got := a.secretNames(); got != "AIRTABLE_API_KEY,JWT_SECRET,WEBHOOK_SECRET" {
		t.Fatalf("with keep_bindings: %q", got)
	}
	a.mustPut("api", worker(doCode, secret, nil))
	if got := a.secretNames(); got != "AIRTABLE_API_KEY" {
		t.Fatalf("without keep_bindings: %q", got)
	}

	a.ok("GET", a.acct+"/workers/scripts/api/secrets/AIRTABLE_API_KEY", nil, nil)
	a.ok("DELETE", a.acct+"/workers/scripts/api/secrets/AIRTABLE_API_KEY", nil, nil)
	a.fails("GET", a.acct+"/workers/scripts/api/secrets/AIRTABLE_API_KEY", nil, 404, 10056)
	a.fails("DELETE", a.acct+"/workers/scripts/api/secrets/AIRTABLE_API_KEY", nil, 404, 10056)

	// A secret cannot take the name of another kind of binding.
	a.mustPut("api", worker(doCode, []map[string]any{{"type": "plain_text", "name": "ENVIRONMENT", "text": "p"}}, nil))
	a.fails("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": "ENVIRONMENT", "text": "x", "type": "secret_text"}, 400, 10053)
}

// A version upload keeps the live secrets when it declares none, with or
// without keep_bindings: wrangler 4.86's deploy uploads a version without
// keep_bindings for secrets (deploy-helpers deploy.ts, keepSecrets false),
// and secrets survive a wrangler deploy on Cloudflare (workers-sdk PR 5296:
// secrets "were implicitly inherited"). One that declares a secret keeps
// the others only by keep_bindings.
func TestVersionUploadKeepsSecretsItDoesNotDeclare(t *testing.T) {
	a := start(t)
	a.mustPut("api", worker(doCode, nil, nil))
	a.putSecret("JWT_SECRET", "one")
	for _, keep := range []bool{true, false} {
		extra := map[string]any{}
		if keep {
			extra["keep_bindings"] = []string{"secret_text", "secret_key"}
		}
		ct, body := worker(doCode, nil, extra).body(t)
		status, env, raw, _ := a.do("POST", a.acct+"/workers/scripts/api/versions?bindings_inherit=strict", ct, body)
		if status != 200 {
			t.Fatalf("version upload: %d %s", status, raw)
		}
		var v struct {
			ID        string `json:"id"`
			Resources struct {
				Bindings []map[string]any `json:"bindings"`
			} `json:"resources"`
		}
		testutil.Decode(t, env.Result, &v)
		if got := len(v.Resources.Bindings); got != 1 {
			t.Fatalf("keep=%v: %d bindings", keep, got)
		}
	}
	declared := []map[string]any{{"type": "secret_text", "name": "OTHER", "text": "two"}}
	ct, body := worker(doCode, declared, nil).body(t)
	status, env, raw, _ := a.do("POST", a.acct+"/workers/scripts/api/versions?bindings_inherit=strict", ct, body)
	if status != 200 {
		t.Fatalf("version upload: %d %s", status, raw)
	}
	var v struct {
		Resources struct {
			Bindings []map[string]any `json:"bindings"`
		} `json:"resources"`
	}
	testutil.Decode(t, env.Result, &v)
	if len(v.Resources.Bindings) != 1 || v.Resources.Bindings[0]["name"] != "OTHER" {
		t.Fatalf("an upload declaring a secret kept %v", v.Resources.Bindings)
	}
}
