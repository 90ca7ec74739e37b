package dns_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

const token = "dns-test-token-0123456789abcdefghijklmno"

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type record struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Content  string  `json:"content"`
	Proxied  bool    `json:"proxied"`
	TTL      int     `json:"ttl"`
	Priority *int    `json:"priority"`
	Comment  *string `json:"comment"`
}

type api struct {
	t       *testing.T
	records string
}

func start(t *testing.T) *api {
	t.Helper()
	s, err := localapi.New(localapi.Config{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &api{t: t, records: base + "/zones/" + s.ZoneID(localapi.DefaultZone) + "/dns_records"}
}

func (a *api) call(method, url, body string) (int, json.RawMessage, []apiError, map[string]any) {
	a.t.Helper()
	req, _ := http.NewRequestWithContext(a.t.Context(), method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data := testutil.ReadAll(a.t, resp.Body)
	var env struct {
		Result     json.RawMessage `json:"result"`
		Errors     []apiError      `json:"errors"`
		ResultInfo map[string]any  `json:"result_info"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		a.t.Fatalf("%s %s: not an envelope: %s", method, url, data)
	}
	return resp.StatusCode, env.Result, env.Errors, env.ResultInfo
}

func (a *api) ok(method, url, body string, out any) {
	a.t.Helper()
	status, result, errs, _ := a.call(method, url, body)
	if status != 200 {
		a.t.Fatalf("%s %s %s: %d %+v", method, url, body, status, errs)
	}
	if out != nil {
		if err := json.Unmarshal(result, out); err != nil {
			a.t.Fatal(err)
		}
	}
}

func (a *api) fails(method, url, body string, status, code int) {
	a.t.Helper()
	got, _, errs, _ := a.call(method, url, body)
	if got != status || len(errs) == 0 || errs[0].Code != code {
		a.t.Fatalf("%s %s %s: %d %+v, want %d with code %d", method, url, body, got, errs, status, code)
	}
}

const zone = localapi.DefaultZone

func TestRecordLifecycleAndShapes(t *testing.T) {
	a := start(t)
	var r record
	a.ok("POST", a.records, `{"type":"CNAME","name":"www","content":"cf-office-hours.pages.dev.","ttl":1,"proxied":true,"comment":"web"}`, &r)
	// A relative name gets the zone; a target is kept without its dot.
	if r.Name != "www."+zone || r.Content != "cf-office-hours.pages.dev" || !r.Proxied || r.TTL != 1 || r.Comment == nil || *r.Comment != "web" {
		t.Fatalf("created %+v", r)
	}
	// The answer carries cloudflare-go v7 RecordResponse's keys, no others.
	_, raw, _, _ := a.call("GET", a.records+"/"+r.ID, "")
	var keys map[string]any
	testutil.Decode(t, raw, &keys)
	for _, k := range []string{"id", "name", "type", "content", "proxiable", "proxied", "ttl", "settings", "meta", "comment", "tags", "created_on", "modified_on"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("answer lacks %q: %s", k, raw)
		}
		delete(keys, k)
	}
	if len(keys) != 0 {
		t.Errorf("answer has keys Cloudflare does not send: %v", keys)
	}

	// PATCH changes what it names; a proxied record's TTL stays automatic.
	a.ok("PATCH", a.records+"/"+r.ID, `{"ttl":300}`, &r)
	if r.TTL != 1 || r.Content != "cf-office-hours.pages.dev" {
		t.Fatalf("after patch %+v", r)
	}
	// PUT overwrites: what it leaves out is gone.
	a.ok("PUT", a.records+"/"+r.ID, `{"type":"CNAME","name":"www.`+zone+`","content":"other.pages.dev","ttl":300}`, &r)
	if r.Proxied || r.TTL != 300 || r.Comment != nil || r.Content != "other.pages.dev" {
		t.Fatalf("after put %+v", r)
	}
	a.fails("PUT", a.records+"/"+r.ID, `{"type":"CNAME","name":"www","content":"x.pages.dev"}`, 400, 9021)

	var gone struct{ ID string }
	a.ok("DELETE", a.records+"/"+r.ID, "", &gone)
	if gone.ID != r.ID {
		t.Fatalf("delete answered %+v", gone)
	}
	a.fails("GET", a.records+"/"+r.ID, "", 404, 81044)
	a.fails("DELETE", a.records+"/"+r.ID, "", 404, 81044)
	a.fails("PATCH", a.records+"/"+r.ID, `{"ttl":1}`, 404, 81044)
}

func TestRecordValidationAndCollisions(t *testing.T) {
	a := start(t)
	for _, tc := range []struct {
		body         string
		status, code int
	}{
		{`{"type":"A","name":"api","content":"not-an-ip","ttl":1}`, 400, 9005},
		{`{"type":"A","name":"api","content":"2001:db8::1","ttl":1}`, 400, 9005},
		{`{"type":"AAAA","name":"api","content":"192.0.2.1","ttl":1}`, 400, 9006},
		{`{"type":"CNAME","name":"api","content":"not a host","ttl":1}`, 400, 9007},
		{`{"type":"TXT","name":"api","content":"x","ttl":5}`, 400, 9021},
		{`{"type":"TXT","name":"api","content":"x"}`, 400, 9021},
		{`{"type":"TXT","name":"api","content":"x","ttl":1,"proxied":true}`, 400, 9041},
		{`{"type":"MX","name":"api","content":"mx.example.com","ttl":1}`, 400, 1004},
		{`{"type":"SRV","name":"api","content":"x","ttl":1}`, 400, 1004},
		{`{"type":"A","content":"192.0.2.1","ttl":1}`, 400, 9000},
	} {
		a.fails("POST", a.records, tc.body, tc.status, tc.code)
	}

	a.ok("POST", a.records, `{"type":"A","name":"api","content":"192.0.2.1","ttl":1}`, nil)
	a.ok("POST", a.records, `{"type":"A","name":"api","content":"192.0.2.2","ttl":1}`, nil) // round robin is fine
	a.fails("POST", a.records, `{"type":"A","name":"api","content":"192.0.2.1","ttl":1}`, 400, 81057)
	a.fails("POST", a.records, `{"type":"CNAME","name":"api","content":"x.pages.dev","ttl":1}`, 400, 81053)
	a.ok("POST", a.records, `{"type":"CNAME","name":"web","content":"x.pages.dev","ttl":1}`, nil)
	a.fails("POST", a.records, `{"type":"A","name":"web","content":"192.0.2.1","ttl":1}`, 400, 81054)
	a.fails("POST", a.records, `{"type":"TXT","name":"web","content":"v=1","ttl":1}`, 400, 81054)
	var ip6 record
	a.ok("POST", a.records, `{"type":"AAAA","name":"v6","content":"2001:DB8:0::1","ttl":1}`, &ip6)
	if ip6.Content != "2001:db8::1" {
		t.Fatalf("IPv6 stored as %q", ip6.Content)
	}
	var mx record
	a.ok("POST", a.records, `{"type":"MX","name":"@","content":"mx.example.com","ttl":3600,"priority":10}`, &mx)
	if mx.Name != zone || mx.Priority == nil || *mx.Priority != 10 {
		t.Fatalf("MX %+v", mx)
	}
}

func TestRecordListFiltersAndPages(t *testing.T) {
	a := start(t)
	for i := range 7 {
		a.ok("POST", a.records, fmt.Sprintf(`{"type":"TXT","name":"t%d","content":"v%d","ttl":1}`, i, i%2), nil)
	}
	a.ok("POST", a.records, `{"type":"A","name":"t0","content":"192.0.2.1","ttl":1}`, nil)
	count := func(query string) int {
		t.Helper()
		var list []record
		a.ok("GET", a.records+query, "", &list)
		return len(list)
	}
	for query, want := range map[string]int{
		"":                                   8,
		"?type=TXT":                          7,
		"?name=t0." + zone:                   2,
		"?name.exact=t0." + zone:             2,
		"?name.exact=t0." + zone + "&type=A": 1,
		"?content=v1":                        3,
		"?content.exact=v1&type=A":           0,
		"?content.exact=v1&type=A&match=any": 4,
		"?name.exact=nothing." + zone:        0,
	} {
		if got := count(query); got != want {
			t.Errorf("GET %s: %d records, want %d", query, got, want)
		}
	}
	// Pages of 3: the last one short, then empty (Cloudflare's SDKs stop there).
	for page, want := range []int{3, 3, 2, 0} {
		_, raw, _, info := a.call("GET", fmt.Sprintf("%s?per_page=3&page=%d", a.records, page+1), "")
		var list []record
		testutil.Decode(t, raw, &list)
		if len(list) != want || info["per_page"] != float64(3) || info["total_count"] != float64(8) {
			t.Errorf("page %d: %d records, info %v", page+1, len(list), info)
		}
	}
	// The default page is 100 (the API schema).
	_, _, _, info := a.call("GET", a.records, "")
	if info["per_page"] != float64(100) {
		t.Errorf("default page size %v", info["per_page"])
	}
}
