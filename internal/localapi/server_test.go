package localapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
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
	Messages   []any           `json:"messages"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
	} `json:"result_info"`
}

func start(t *testing.T, cfg localapi.Config) (*localapi.Server, string) {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = token
	}
	s, err := localapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, base
}

func call(t *testing.T, method, url, body string) (int, envelope) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data := testutil.ReadAll(t, resp.Body)
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatalf("%s %s: not an envelope: %s", method, url, data)
	}
	return resp.StatusCode, env
}

func TestEnvelopeAuthAndUnknownRoutes(t *testing.T) {
	s, base := start(t, localapi.Config{})
	tests := []struct {
		name, method, path string
		status, code       int
	}{
		{"verify token", "GET", "/user/tokens/verify", 200, 0},
		{"account", "GET", "/accounts/" + s.AccountID(), 200, 0},
		{"other account", "GET", "/accounts/ffffffffffffffffffffffffffffffff", 403, 9109},
		{"unknown path", "GET", "/accounts/" + s.AccountID() + "/nothing/here", 400, 7003},
		// A wrong method is 405 with 10405 (DIST kv/deleteNamespace.json).
		{"known path, wrong method", "PATCH", "/accounts/" + s.AccountID() + "/storage/kv/namespaces", 405, 10405},
		{"unknown zone", "GET", "/zones/ffffffffffffffffffffffffffffffff", 400, 7003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, env := call(t, tt.method, base+tt.path, "")
			if status != tt.status || env.Success != (tt.code == 0) {
				t.Fatalf("status %d success %v, want %d", status, env.Success, tt.status)
			}
			if tt.code != 0 && env.Errors[0].Code != tt.code {
				t.Fatalf("code %d, want %d", env.Errors[0].Code, tt.code)
			}
		})
	}

	req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/user/tokens/verify", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("a wrong token got %d", resp.StatusCode)
	}
}

func TestZonesFilterByName(t *testing.T) {
	s, base := start(t, localapi.Config{Zones: []string{"a.example", "b.example"}})
	_, env := call(t, "GET", base+"/zones?name=b.example", "")
	var zones []struct{ ID, Name string }
	testutil.Decode(t, env.Result, &zones)
	if len(zones) != 1 || zones[0].ID != s.ZoneID("b.example") {
		t.Fatalf("got %+v", zones)
	}
}

func TestKVNamespacesPaginationDuplicatesAndRestart(t *testing.T) {
	statePath := filepath.Join(t.TempDir(), "state.json")
	s, base := start(t, localapi.Config{StatePath: statePath})
	ns := base + "/accounts/" + s.AccountID() + "/storage/kv/namespaces"
	for i := range 3 {
		if status, env := call(t, "POST", ns, fmt.Sprintf(`{"title":"ns-%d"}`, i)); status != 200 {
			t.Fatalf("create: %d %+v", status, env.Errors)
		}
	}
	status, env := call(t, "POST", ns, `{"title":"ns-1"}`)
	if status != 400 || env.Errors[0].Code != 10014 {
		t.Fatalf("duplicate title: %d %+v", status, env.Errors)
	}
	for page, want := range map[int]int{1: 2, 2: 1, 3: 0} {
		_, env := call(t, "GET", fmt.Sprintf("%s?per_page=2&page=%d", ns, page), "")
		var list []any
		testutil.Decode(t, env.Result, &list)
		if len(list) != want || env.ResultInfo.TotalCount != 3 {
			t.Fatalf("page %d: %d items (want %d), info %+v", page, len(list), want, env.ResultInfo)
		}
	}
	s.Close()

	// A restarted server on the same state file still has them.
	s2, base2 := start(t, localapi.Config{StatePath: statePath})
	_, env = call(t, "GET", base2+"/accounts/"+s2.AccountID()+"/storage/kv/namespaces", "")
	var list []any
	testutil.Decode(t, env.Result, &list)
	if len(list) != 3 {
		t.Fatalf("after restart: %d namespaces", len(list))
	}
	if got := s2.Requests().Counts()["GET /client/v4/accounts/{account_id}/storage/kv/namespaces"]; got != 1 {
		t.Fatalf("request log counted %d list calls", got)
	}
}

func TestFaultsRateLimit(t *testing.T) {
	s, base := start(t, localapi.Config{})
	s.SetFaults(localapi.Faults{RateLimitShare: 1, RetryAfter: 7})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/user/tokens/verify", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Fatalf("got %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestAdminEndpointsAreNeitherCountedNorFaulted: the /__local/ endpoints
// that benchmarks use must not show in the request log nor be answered 429.
func TestAdminEndpointsAreNeitherCountedNorFaulted(t *testing.T) {
	s, base := start(t, localapi.Config{})
	s.SetFaults(localapi.Faults{RateLimitShare: 1, RetryAfter: 1})
	admin := strings.TrimSuffix(base, "/client/v4") + "/__local/requests"
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", admin, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("admin request answered %d under faults", resp.StatusCode)
		}
	}
	if counts := s.Requests().Counts(); len(counts) != 0 {
		t.Fatalf("admin requests were counted: %v", counts)
	}
}
