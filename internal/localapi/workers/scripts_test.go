package workers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

func TestUploadAcceptsBothMetadataShapesAndServesContent(t *testing.T) {
	a := start(t)
	for _, jsonMeta := range []bool{false, true} {
		u := worker(doCode, nil, nil)
		u.jsonMeta = jsonMeta
		u.modules = append(u.modules, module{"chunk.js", "application/javascript+module", "export const x = 1;"},
			module{"index.js.map", "application/source-map", "{}"})
		// The main module is uploaded last to show content puts it first.
		u.modules[0], u.modules[2] = u.modules[2], u.modules[0]
		res := a.mustPut("api", u)
		if res["etag"] == "" || res["deployment_id"] == "" {
			t.Fatalf("upload result lacks etag or deployment_id: %v", res)
		}
		if svc := a.service(); svc["etag"] != res["etag"] {
			t.Fatalf("service etag %v, upload etag %v", svc["etag"], res["etag"])
		}
	}

	status, _, raw, header := a.do("GET", a.acct+"/workers/scripts/api", "", nil)
	if status != 200 {
		t.Fatalf("content: %d %s", status, raw)
	}
	mediaType, params, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		t.Fatalf("content type %q", header.Get("Content-Type"))
	}
	r := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	var names []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body := testutil.ReadAll(t, p)
		names = append(names, p.FileName())
		if p.FileName() == "index.js" && string(body) != doCode {
			t.Fatalf("index.js content %q", body)
		}
	}
	if strings.Join(names, ",") != "index.js,index.js.map,chunk.js" {
		t.Fatalf("parts %v: the main module must come first", names)
	}

	var list []map[string]any
	a.ok("GET", a.acct+"/workers/scripts", nil, &list)
	if len(list) != 1 || list[0]["id"] != "api" {
		t.Fatalf("list %v", list)
	}
}

// The etag is "Hashed script content" (cloudflare-go v7 workers/script.go):
// code changes it; secrets, variables, bindings and compatibility settings,
// whether uploaded or patched through /settings, do not.
func TestEtagCoversTheContentOnly(t *testing.T) {
	a := start(t)
	first := a.mustPut("api", worker(doCode, []map[string]any{{"type": "plain_text", "name": "ENVIRONMENT", "text": "production"}}, nil))
	etag := func() any { return a.service()["etag"] }
	if etag() != first["etag"] {
		t.Fatal("the upload answer and the service disagree on the etag")
	}
	a.ok("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": "JWT_SECRET", "text": "s", "type": "secret_text"}, nil)
	changedVar := a.mustPut("api", worker(doCode, []map[string]any{{"type": "plain_text", "name": "ENVIRONMENT", "text": "staging"}}, nil))
	a.ok("PATCH", a.acct+"/workers/scripts/api/settings", map[string]any{
		"bindings":           []map[string]any{{"type": "plain_text", "name": "ENVIRONMENT", "text": "dashboard"}},
		"compatibility_date": "2024-01-01",
	}, nil)
	if changedVar["etag"] != first["etag"] || etag() != first["etag"] {
		t.Fatal("a secret, variable or settings change changed the etag")
	}
	changedCode := a.mustPut("api", worker(doCode+"//", nil, nil))
	if changedCode["etag"] == first["etag"] || etag() != changedCode["etag"] {
		t.Fatal("changed code must change the etag")
	}
}

func TestUploadValidation(t *testing.T) {
	a := start(t)
	kvID := a.kvNamespace()
	a.mustPut("other", worker(doCode, nil, map[string]any{"migrations": map[string]any{"new_tag": "v1", "new_sqlite_classes": []string{"SlotGenerator"}}}))
	tomorrow := time.Now().UTC().Add(48 * time.Hour).Format("2006-01-02")
	do := func(class, script string) []map[string]any {
		b := map[string]any{"type": "durable_object_namespace", "name": "SLOT_GENERATOR", "class_name": class}
		if script != "" {
			b["script_name"] = script
		}
		return []map[string]any{b}
	}
	tests := []struct {
		name         string
		u            upload
		status, code int
		message      string
	}{
		{"future compatibility date", worker(doCode, nil, map[string]any{"compatibility_date": tomorrow}), 400, 10021, "in the future"},
		{"malformed compatibility date", worker(doCode, nil, map[string]any{"compatibility_date": "2025-3-11"}), 400, 10021, "YYYY-MM-DD"},
		{"unknown KV namespace", worker(doCode, []map[string]any{{"type": "kv_namespace", "name": "CACHE", "namespace_id": "0123"}}, nil), 400, 10041, "not valid"},
		{"DO class without migration", worker(doCode, do("SlotGenerator", ""), nil), 400, 10061, "--new-class migration"},
		{"DO class of a missing script", worker(doCode, do("SlotGenerator", "missing"), nil), 400, 10061, "does not exist"},
		{"DO class the other script lacks", worker(doCode, do("Nope", "other"), nil), 400, 10061, "Nope"},
		{"binding without a name", worker(doCode, []map[string]any{{"type": "plain_text", "text": "x"}}, nil), 400, 10052, "index 0"},
		{"new class not exported", worker("export default {}", nil, map[string]any{"migrations": map[string]any{"new_tag": "v1", "new_classes": []string{"SlotGenerator"}}}), 400, 10070, "not exported"},
		{"old_tag on a script without tag", worker(doCode, nil, map[string]any{"migrations": map[string]any{"old_tag": "v1", "new_tag": "v2", "new_classes": []string{"SlotGenerator"}}}), 412, 10079, "precondition"},
		{"missing main module", upload{meta: map[string]any{"main_module": "main.js"}, modules: []module{{"index.js", "application/javascript+module", doCode}}}, 400, 10021, "No such module"},
		{"over the size limit", worker(strings.Repeat("x", 10<<20+1), nil, nil), 400, 10027, "size limit"},
		// Startup validation: what does not parse is refused (users report
		// "Uncaught SyntaxError: ... at worker.js:100 (Code: 10021)").
		{"syntax error", worker("export default { fetch() { return new Response('ok') }\n", nil, nil), 400, 10021, "Uncaught SyntaxError"},
		{"syntax error in a second module", upload{meta: map[string]any{"main_module": "index.js"}, modules: []module{
			{"index.js", "application/javascript+module", "import { f } from './lib.js';\nexport default { fetch: f }\n"},
			{"lib.js", "application/javascript+module", "export function f( {\n"},
		}}, 400, 10021, "at lib.js:2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, env, raw := a.put("api", tt.u)
			msg := checkFailure(t, status, env, raw, tt.status, tt.code)
			if !strings.Contains(msg, tt.message) {
				t.Fatalf("message %q lacks %q", msg, tt.message)
			}
		})
	}
	// Nothing above was created; a valid upload with the bindings works.
	a.fails("GET", a.acct+"/workers/scripts/api", nil, 404, 10007)
	a.fails("GET", a.acct+"/workers/services/api", nil, 404, 10090)
	a.mustPut("api", worker(doCode, append(do("SlotGenerator", "other"),
		map[string]any{"type": "kv_namespace", "name": "CACHE", "namespace_id": kvID},
		map[string]any{"type": "json", "name": "LIMITS", "json": map[string]int{"rpm": 60}}), nil))
}

func TestSettingsReadAndPatch(t *testing.T) {
	a := start(t)
	kvID := a.kvNamespace()
	a.mustPut("api", worker(doCode, []map[string]any{
		{"type": "kv_namespace", "name": "CACHE", "namespace_id": kvID},
		{"type": "plain_text", "name": "ENVIRONMENT", "text": "production"},
	}, map[string]any{"compatibility_flags": []string{"nodejs_compat"}}))
	a.ok("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": "JWT_SECRET", "text": "hunter2", "type": "secret_text"}, nil)

	var settings struct {
		Bindings           []map[string]any `json:"bindings"`
		CompatibilityDate  string           `json:"compatibility_date"`
		CompatibilityFlags []string         `json:"compatibility_flags"`
	}
	a.ok("GET", a.acct+"/workers/scripts/api/settings", nil, &settings)
	raw, _ := json.Marshal(settings)
	if len(settings.Bindings) != 3 || settings.CompatibilityDate != "2025-03-11" || settings.CompatibilityFlags[0] != "nodejs_compat" {
		t.Fatalf("settings %s", raw)
	}
	if strings.Contains(string(raw), "hunter2") {
		t.Fatal("settings must never return secret text")
	}

	// The Go SDK sends settings as a multipart part.
	f := testutil.NewForm(t)
	f.Field("settings", `{"compatibility_date":"2025-04-01","bindings":[{"type":"plain_text","name":"ENVIRONMENT","text":"staging"}]}`)
	ct, form := f.Finish()
	status, _, body, _ := a.do("PATCH", a.acct+"/workers/scripts/api/settings", ct, form)
	if status != 200 {
		t.Fatalf("patch: %d %s", status, body)
	}
	a.ok("GET", a.acct+"/workers/scripts/api/settings", nil, &settings)
	names := []string{}
	for _, b := range settings.Bindings {
		names = append(names, b["name"].(string))
	}
	// Bindings are replaced, secrets kept.
	if settings.CompatibilityDate != "2025-04-01" || strings.Join(names, ",") != "ENVIRONMENT,JWT_SECRET" {
		t.Fatalf("after patch: %s %v", settings.CompatibilityDate, names)
	}
}

func TestSubdomainAndDelete(t *testing.T) {
	a := start(t)
	var sub struct{ Subdomain string }
	a.ok("GET", a.acct+"/workers/subdomain", nil, &sub)
	if sub.Subdomain == "" {
		t.Fatal("no account subdomain")
	}
	a.mustPut("api", worker(doCode, nil, nil))
	var state struct {
		Enabled         bool `json:"enabled"`
		PreviewsEnabled bool `json:"previews_enabled"`
	}
	a.ok("POST", a.acct+"/workers/scripts/api/subdomain", map[string]bool{"enabled": false, "previews_enabled": true}, &state)
	a.ok("GET", a.acct+"/workers/scripts/api/subdomain", nil, &state)
	if state.Enabled || !state.PreviewsEnabled {
		t.Fatalf("subdomain %+v", state)
	}
	a.ok("DELETE", a.acct+"/workers/scripts/api", nil, nil)
	a.fails("DELETE", a.acct+"/workers/scripts/api", nil, 404, 10007)
	a.fails("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": "A", "text": "b", "type": "secret_text"}, 404, 10007)
}

// wrangler secret bulk patches the settings with the existing bindings given
// by type and name only (it cannot send secret text back): they keep their
// configuration. A bare binding with no such previous binding is invalid.
func TestSettingsPatchKeepsBindingsGivenByTypeAndName(t *testing.T) {
	a := start(t)
	kvID := a.kvNamespace()
	a.mustPut("api", worker(doCode, []map[string]any{
		{"type": "kv_namespace", "name": "CACHE", "namespace_id": kvID},
		{"type": "plain_text", "name": "ENVIRONMENT", "text": "production"},
	}, nil))
	a.putSecret("JWT_SECRET", "one")
	patch := func(settings string) (int, []byte) {
		f := testutil.NewForm(t)
		f.Field("settings", settings)
		ct, form := f.Finish()
		status, _, body, _ := a.do("PATCH", a.acct+"/workers/scripts/api/settings", ct, form)
		return status, body
	}
	status, body := patch(`{"bindings":[{"type":"kv_namespace","name":"CACHE"},{"type":"plain_text","name":"ENVIRONMENT"},` +
		`{"type":"secret_text","name":"JWT_SECRET"},{"type":"secret_text","name":"WEBHOOK_SECRET","text":"two"}]}`)
	if status != 200 {
		t.Fatalf("patch: %d %s", status, body)
	}
	var settings struct {
		Bindings []struct {
			Type, Name, Text string
			NamespaceID      string `json:"namespace_id"`
		} `json:"bindings"`
	}
	a.ok("GET", a.acct+"/workers/scripts/api/settings", nil, &settings)
	got := map[string]string{}
	for _, b := range settings.Bindings {
		got[b.Name] = b.Type + ":" + b.Text + b.NamespaceID
	}
	want := map[string]string{"CACHE": "kv_namespace:" + kvID, "ENVIRONMENT": "plain_text:production",
		"JWT_SECRET": "secret_text:", "WEBHOOK_SECRET": "secret_text:"}
	if len(got) != len(want) {
		t.Fatalf("bindings after patch %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("bindings after patch %v, want %v", got, want)
		}
	}
	if names := a.secretNames(); names != "JWT_SECRET,WEBHOOK_SECRET" {
		t.Fatalf("secrets %s", names)
	}

	status, body = patch(`{"bindings":[{"type":"kv_namespace","name":"OTHER"}]}`)
	var env envelope
	testutil.Decode(t, body, &env)
	checkFailure(t, status, env, body, 400, 10041)
}

// wrangler delete reads a Worker's references and tail producers, then
// deletes it through its service; another Worker's Durable Object binding
// refuses that without force.
func TestReferencesAndDeleteThroughTheService(t *testing.T) {
	a := start(t)
	a.mustPut("api", worker(doCode, []map[string]any{{"type": "durable_object_namespace", "name": "SLOTS", "class_name": "SlotGenerator"}},
		map[string]any{"migrations": map[string]any{"new_tag": "v1", "new_sqlite_classes": []string{"SlotGenerator"}}}))
	a.mustPut("other", worker("export default {}", []map[string]any{
		{"type": "durable_object_namespace", "name": "SLOTS", "class_name": "SlotGenerator", "script_name": "api"}}, nil))

	var refs struct {
		Services struct {
			Incoming      []any `json:"incoming"`
			PagesFunction bool  `json:"pages_function"`
		} `json:"services"`
		DurableObjects []struct {
			Service                    string `json:"service"`
			DurableObjectNamespaceName string `json:"durable_object_namespace_name"`
		} `json:"durable_objects"`
		DispatchOutbounds []any `json:"dispatch_outbounds"`
	}
	a.ok("GET", a.acct+"/workers/scripts/api/references", nil, &refs)
	var users []string
	for _, d := range refs.DurableObjects {
		users = append(users, d.Service+":"+d.DurableObjectNamespaceName)
	}
	if strings.Join(users, ",") != "api:api_SlotGenerator,other:api_SlotGenerator" || refs.Services.Incoming == nil || refs.DispatchOutbounds == nil {
		t.Fatalf("references %+v", refs)
	}
	var tails []any
	a.ok("GET", a.acct+"/workers/tails/by-consumer/api", nil, &tails)
	if tails == nil || len(tails) != 0 {
		t.Fatalf("tail producers %v", tails)
	}

	a.fails("DELETE", a.acct+"/workers/services/api?force=false", nil, 400, 10064)
	a.ok("DELETE", a.acct+"/workers/services/api?force=true", nil, nil)
	a.fails("GET", a.acct+"/workers/services/api", nil, 404, 10090)
	a.fails("GET", a.acct+"/workers/scripts/api/references", nil, 404, 10007)
}
