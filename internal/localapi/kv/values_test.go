package kv_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

type kvAPI struct {
	t    *testing.T
	base string // .../storage/kv/namespaces/{id}
}

func (a kvAPI) do(method, path, contentType string, body []byte) (int, []byte) {
	a.t.Helper()
	req, _ := http.NewRequestWithContext(a.t.Context(), method, a.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, testutil.ReadAll(a.t, resp.Body)
}

// code is the first error code of an envelope.
func code(t *testing.T, body []byte) int {
	t.Helper()
	var env struct{ Errors []struct{ Code int } }
	if json.Unmarshal(body, &env) != nil || len(env.Errors) == 0 {
		t.Fatalf("not an error envelope: %s", body)
	}
	return env.Errors[0].Code
}

func newNamespace(t *testing.T, now *time.Time) kvAPI {
	t.Helper()
	s, err := localapi.New(localapi.Config{Token: token, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	a := kvAPI{t: t, base: url + "/accounts/" + s.AccountID() + "/storage/kv/namespaces"}
	status, body := a.do("POST", "", "application/json", []byte(`{"title":"cf-office-hours-api-development-CACHE"}`))
	var env struct{ Result struct{ ID string } }
	if status != 200 || json.Unmarshal(body, &env) != nil {
		t.Fatalf("create: %d %s", status, body)
	}
	a.base += "/" + env.Result.ID
	return a
}

// Values as wrangler's src/kv/helpers.ts reads and writes them: the raw
// value back from GET, metadata from a multipart PUT, a missing key 404
// with 10009, deleting a missing key a success, and expiry.
func TestValues(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	a := newNamespace(t, &now)
	if status, body := a.do("PUT", "/values/slots%2F2026-12-01", "", []byte("[9,10,11]")); status != 200 {
		t.Fatalf("put: %d %s", status, body)
	}
	if status, body := a.do("GET", "/values/slots%2F2026-12-01", "", nil); status != 200 || string(body) != "[9,10,11]" {
		t.Fatalf("get: %d %s", status, body)
	}
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	_ = w.WriteField("value", "mentor")
	_ = w.WriteField("metadata", `{"role":"mentor"}`)
	w.Close()
	if status, body := a.do("PUT", "/values/user%3A1?expiration_ttl=120", w.FormDataContentType(), form.Bytes()); status != 200 {
		t.Fatalf("put with metadata: %d %s", status, body)
	}
	if status, body := a.do("GET", "/metadata/user%3A1", "", nil); status != 200 || !strings.Contains(string(body), `"result":{"role":"mentor"}`) {
		t.Fatalf("metadata: %d %s", status, body)
	}
	if status, body := a.do("GET", "/values/missing", "", nil); status != 404 || code(t, body) != 10009 {
		t.Fatalf("missing key: %d %s", status, body)
	}
	if status, _ := a.do("DELETE", "/values/missing", "", nil); status != 200 {
		t.Fatalf("deleting a missing key: %d", status)
	}
	for name, c := range map[string]struct {
		path   string
		status int
	}{
		"a TTL under 60 s":   {"/values/k?expiration_ttl=30", 400},
		"a key named ..":     {"/values/..", 400},
		"a key of 513 bytes": {"/values/" + strings.Repeat("k", 513), 414},
	} {
		if status, _ := a.do("PUT", c.path, "", []byte("v")); status != c.status {
			t.Errorf("%s: HTTP %d, want %d", name, status, c.status)
		}
	}
	now = now.Add(121 * time.Second)
	if status, _ := a.do("GET", "/values/user%3A1", "", nil); status != 404 {
		t.Errorf("an expired key answers %d", status)
	}
}

// Keys list in byte order, by cursor: limit 10 to 1,000, the cursor ""
// on the last page (wrangler's fetchListResult stops there).
func TestKeysPageByCursor(t *testing.T) {
	now := time.Now()
	a := newNamespace(t, &now)
	var pairs []map[string]any
	for i := range 25 {
		pairs = append(pairs, map[string]any{"key": fmt.Sprintf("slot:%02d", i), "value": "e30=", "base64": true})
	}
	pairs = append(pairs, map[string]any{"key": "other", "value": "x"})
	data, _ := json.Marshal(pairs)
	if status, body := a.do("PUT", "/bulk", "application/json", data); status != 200 {
		t.Fatalf("bulk: %d %s", status, body)
	}
	var names []string
	cursor, pages := "", 0
	for {
		status, body := a.do("GET", "/keys?prefix=slot:&limit=10&cursor="+cursor, "", nil)
		var env struct {
			Result     []struct{ Name string }
			ResultInfo struct {
				Count  int
				Cursor string
			} `json:"result_info"`
		}
		if status != 200 || json.Unmarshal(body, &env) != nil {
			t.Fatalf("keys: %d %s", status, body)
		}
		pages++
		for _, k := range env.Result {
			names = append(names, k.Name)
		}
		if env.ResultInfo.Count != len(env.Result) {
			t.Errorf("count %d for %d keys", env.ResultInfo.Count, len(env.Result))
		}
		if cursor = env.ResultInfo.Cursor; cursor == "" {
			break
		}
	}
	if pages != 3 || len(names) != 25 || names[0] != "slot:00" || names[24] != "slot:24" {
		t.Fatalf("%d pages: %v", pages, names)
	}
	if status, body := a.do("GET", "/values/slot:03", "", nil); status != 200 || string(body) != "{}" {
		t.Errorf("a base64 bulk value reads %d %q", status, body)
	}
	if status, _ := a.do("GET", "/keys?limit=5", "", nil); status != 400 {
		t.Errorf("limit 5 answered %d: Cloudflare lists 10 to 1,000 keys a page", status)
	}
	if status, body := a.do("DELETE", "/bulk", "application/json", []byte(`["slot:00","slot:01"]`)); status != 200 {
		t.Fatalf("bulk delete: %d %s", status, body)
	}
	if status, _ := a.do("GET", "/values/slot:00", "", nil); status != 404 {
		t.Errorf("a bulk-deleted key answers %d", status)
	}
}
