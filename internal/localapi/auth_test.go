package localapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// Authentication as Cloudflare answers it: a missing or malformed header is
// 400 with 6003 and 6111 in its error_chain, a well-formed token that is
// wrong or lacks the permission is 403 with 10000 (mailflare#1, TPC#3292).
func TestAuthenticationAnswers(t *testing.T) {
	const readOnly = "read-only-token-0123456789abcdefghijklmn"
	s, base := start(t, localapi.Config{RestrictedTokens: map[string][]string{readOnly: {"Workers KV Storage Read"}}})
	kv := base + "/accounts/" + s.AccountID() + "/storage/kv/namespaces"
	type chainItem struct {
		Code       int         `json:"code"`
		ErrorChain []chainItem `json:"error_chain"`
	}
	send := func(method, url, authorization string) (int, []chainItem) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, url, nil)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data := testutil.ReadAll(t, resp.Body)
		var env struct {
			Errors []chainItem `json:"errors"`
		}
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatalf("not an envelope: %s", data)
		}
		return resp.StatusCode, env.Errors
	}
	for _, tc := range []struct {
		name, method, url, auth string
		status, code, chained   int
	}{
		{"no header", "GET", kv, "", 400, 6003, 6111},
		{"not bearer", "GET", kv, "Basic " + token, 400, 6003, 6111},
		{"malformed token", "GET", kv, "Bearer short", 400, 6003, 6111},
		{"wrong token", "GET", kv, "Bearer wrong-token-0123456789abcdefghijklmnopqr", 403, 10000, 0},
		{"permission held", "GET", kv, "Bearer " + readOnly, 200, 0, 0},
		{"write with a read permission", "POST", kv, "Bearer " + readOnly, 403, 10000, 0},
		{"other area", "GET", base + "/accounts/" + s.AccountID() + "/workers/scripts", "Bearer " + readOnly, 403, 10000, 0},
		{"the stand-in's own endpoints need the full token", "GET", base[:len(base)-len("/client/v4")] + "/__local/requests", "Bearer " + readOnly, 403, 10000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, errs := send(tc.method, tc.url, tc.auth)
			if status != tc.status {
				t.Fatalf("status %d, want %d (errors %+v)", status, tc.status, errs)
			}
			if tc.code == 0 {
				return
			}
			if len(errs) != 1 || errs[0].Code != tc.code {
				t.Fatalf("errors %+v, want one with code %d", errs, tc.code)
			}
			if tc.chained != 0 && (len(errs[0].ErrorChain) != 1 || errs[0].ErrorChain[0].Code != tc.chained) {
				t.Fatalf("error chain %+v, want code %d", errs[0].ErrorChain, tc.chained)
			}
			if tc.chained == 0 && len(errs[0].ErrorChain) != 0 {
				t.Fatalf("unexpected error chain %+v", errs[0].ErrorChain)
			}
		})
	}
}

func TestConfiguredTokenMustBeWellFormed(t *testing.T) {
	if _, err := localapi.New(localapi.Config{Token: "short"}); err == nil {
		t.Fatal("a token Cloudflare would call malformed was accepted")
	}
}
