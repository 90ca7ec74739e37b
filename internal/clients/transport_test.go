package clients

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// server answers with the given statuses in turn, then 200.
func server(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := testutil.ReadAll(t, r.Body)
		if r.Method != http.MethodGet && string(body) != `{"title":"x"}` {
			t.Errorf("attempt %d sent body %q", calls.Load()+1, body)
		}
		n := int(calls.Add(1))
		if n <= len(statuses) {
			if statuses[n-1] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "7")
			}
			w.WriteHeader(statuses[n-1])
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	return s, &calls
}

// testTransport records the waits it would sleep instead of sleeping.
func testTransport(maxRetries int) (*transport, *[]time.Duration) {
	var waits []time.Duration
	tr := newTransport(DefaultLimit(), maxRetries, "secret")
	tr.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	return tr, &waits
}

// The transport's share of the retry contract (cfwrite.go): what Cloudflare
// cannot have acted on is resent for every method, reads also after a 5xx.
func TestTransportRetryContract(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		statuses   []int
		wantStatus int
		wantCalls  int32
	}{
		{"429 is resent for any method", http.MethodPost, []int{429, 429}, 200, 3},
		{"5xx is resent for GET", http.MethodGet, []int{503, 500}, 200, 3},
		{"5xx is not resent for PUT: the call layer decides", http.MethodPut, []int{502}, 502, 1},
		{"5xx is not resent for DELETE: the call layer decides", http.MethodDelete, []int{502}, 502, 1},
		{"5xx is not resent for POST: the create may have happened", http.MethodPost, []int{500}, 500, 1},
		{"4xx is never resent", http.MethodGet, []int{404}, 404, 1},
		{"resends stop at the limit", http.MethodGet, []int{503, 503, 503, 503}, 503, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, calls := server(t, tt.statuses...)
			tr, _ := testTransport(2)
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, s.URL, strings.NewReader(`{"title":"x"}`))
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || calls.Load() != tt.wantCalls {
				t.Fatalf("status %d after %d calls, want %d after %d", resp.StatusCode, calls.Load(), tt.wantStatus, tt.wantCalls)
			}
		})
	}
}

// A 429's Retry-After holds the request back for that long.
func TestTransportWaitsForRetryAfter(t *testing.T) {
	s, _ := server(t, http.StatusTooManyRequests)
	tr, waits := testTransport(3)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(*waits) != 1 || (*waits)[0] < 6*time.Second || (*waits)[0] > 7*time.Second {
		t.Fatalf("waits %v, want one of about 7s (Retry-After: 7)", *waits)
	}
}

func TestTransportResendsUnsentRequestsEvenForPOST(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	url := s.URL
	s.Close() // nothing listens: the request is never sent
	tr, waits := testTransport(2)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader("{}"))
	resp, err := tr.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	var notSent *notSentError
	if err == nil || !errors.As(err, &notSent) {
		t.Fatalf("error %v, want a not-sent error", err)
	}
	if len(*waits) != 2 {
		t.Fatalf("%d resends of an unsent POST, want 2", len(*waits))
	}
	if IsAmbiguous(err) {
		t.Fatal("a request that never left is not ambiguous")
	}
}

// Backoff doubles from a quarter second, is capped at twenty seconds, and
// its jitter keeps it between half its step and the step.
func TestBackoffBounds(t *testing.T) {
	for _, tt := range []struct {
		attempt  int
		low, top time.Duration
	}{
		{0, 125 * time.Millisecond, 250 * time.Millisecond},
		{1, 250 * time.Millisecond, 500 * time.Millisecond},
		{3, time.Second, 2 * time.Second},
		{6, 8 * time.Second, 16 * time.Second},
		{7, 10 * time.Second, 20 * time.Second},
		{40, 10 * time.Second, 20 * time.Second},
	} {
		var lowest, highest time.Duration
		for i := range 500 {
			d := backoff(tt.attempt)
			if i == 0 || d < lowest {
				lowest = d
			}
			highest = max(highest, d)
		}
		if lowest < tt.low || highest > tt.top {
			t.Errorf("attempt %d: backoff ranged %v..%v, want within %v..%v", tt.attempt, lowest, highest, tt.low, tt.top)
		}
		if highest-lowest < (tt.top-tt.low)/4 {
			t.Errorf("attempt %d: backoff ranged only %v..%v: no jitter", tt.attempt, lowest, highest)
		}
	}
}

// The transport feeds every answer's Ratelimit header to the limiter: once
// Cloudflare says only the share kept for other tools is left, the next
// request waits for the window's reset.
func TestTransportHoldsBackWhenCloudflareSaysTheTokenIsUsedUp(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ratelimit", `"default";r=120;t=42`)
		w.Header().Set("Ratelimit-Policy", `"default";q=1200;w=300`)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	tr, waits := testTransport(0)
	for range 2 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if len(*waits) != 1 || (*waits)[0] < 41*time.Second || (*waits)[0] > 42*time.Second {
		t.Fatalf("waits %v, want one wait of about 42s before the second request", *waits)
	}
}
