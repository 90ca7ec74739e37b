package localapi_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// get sends an authenticated GET and returns its status and headers.
func get(t *testing.T, url string) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// Cloudflare's window (fundamentals/api/reference/limits): every answer
// says what is left (Ratelimit, Ratelimit-Policy; changelog 2025-09-03);
// the request past the quota is refused with 429, code 971 and Retry-After,
// and so is every request for the next whole window, however quiet.
func TestRateLimitWindow(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	s, base := start(t, localapi.Config{Now: c.now, RateLimit: localapi.RateLimit{Requests: 3, Window: time.Minute}})
	url := base + "/accounts/" + s.AccountID() + "/storage/kv/namespaces"
	for i, want := range []string{`"default";r=2;t=60`, `"default";r=1;t=50`, `"default";r=0;t=40`} {
		status, h := get(t, url)
		if status != 200 || h.Get("Ratelimit") != want || h.Get("Ratelimit-Policy") != `"default";q=3;w=60` {
			t.Fatalf("request %d: %d, Ratelimit %q, policy %q; want 200 and %q", i+1, status,
				h.Get("Ratelimit"), h.Get("Ratelimit-Policy"), want)
		}
		c.advance(10 * time.Second)
	}
	// 30 s after the first request: over the quota.
	status, env := call(t, "GET", url, "")
	if status != 429 || len(env.Errors) != 1 || env.Errors[0].Code != 971 {
		t.Fatalf("past the quota: %d %+v, want 429 with code 971", status, env.Errors)
	}
	if _, h := get(t, url); h.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After %q, want the whole window (60)", h.Get("Retry-After"))
	}
	// The first requests have left the window, but the block lasts.
	c.advance(45 * time.Second)
	if status, h := get(t, url); status != 429 || h.Get("Retry-After") != "15" {
		t.Fatalf("during the block: %d, Retry-After %q; want 429 and 15", status, h.Get("Retry-After"))
	}
	c.advance(15 * time.Second)
	if status, _ := get(t, url); status != 200 {
		t.Fatalf("after the block: %d", status)
	}
	if st := s.RateLimitStats(); st.Peak != 3 || st.Refused != 3 || st.Admitted != 4 {
		t.Fatalf("stats %+v", st)
	}
}
