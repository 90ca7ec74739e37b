package kv_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

const token = "test-token-0123456789abcdefghijklmnopqrs"

// list GETs a page of namespaces and returns the raw result.
func list(t *testing.T, base, query string) json.RawMessage {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/storage/kv/namespaces"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data := testutil.ReadAll(t, resp.Body)
	var env struct {
		Success bool            `json:"success"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &env); err != nil || !env.Success {
		t.Fatalf("list: %s", data)
	}
	return env.Result
}

// An empty list is [], not null: wrangler's KV provisioning iterates the
// result and fails on null ("json is not iterable"). Paging ends with an
// empty page, which wrangler's SDK pages to.
func TestListIsNeverNullAndEndsWithAnEmptyPage(t *testing.T) {
	s, err := localapi.New(localapi.Config{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	base := url + "/accounts/" + s.AccountID()

	if got := string(list(t, base, "")); got != "[]" {
		t.Fatalf("empty list: %s, want []", got)
	}
	for i := range 3 {
		body := strings.NewReader(fmt.Sprintf(`{"title":"ns-%d"}`, i))
		req, _ := http.NewRequestWithContext(t.Context(), "POST", base+"/storage/kv/namespaces", body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("create: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	var titles []string
	for page := 1; ; page++ {
		var items []struct{ Title string }
		testutil.Decode(t, list(t, base, fmt.Sprintf("?per_page=2&page=%d&order=title", page)), &items)
		if len(items) == 0 {
			break
		}
		for _, n := range items {
			titles = append(titles, n.Title)
		}
	}
	if strings.Join(titles, ",") != "ns-0,ns-1,ns-2" {
		t.Fatalf("paged titles %v", titles)
	}
	if got := string(list(t, base, "?per_page=2&page=9")); got != "[]" {
		t.Fatalf("past the end: %s, want []", got)
	}
}
