package clients

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// server answers with the given statuses in turn, then 200.
func server(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost && string(body) != `{"title":"x"}` {
			t.Errorf("attempt %d sent body %q", calls.Load()+1, body)
		}
		n := int(calls.Add(1))
		if n <= len(statuses) {
			if statuses[n-1] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(statuses[n-1])
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	return s, &calls
}

func TestTransportRetries(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		statuses   []int
		wantStatus int
		wantCalls  int32
	}{
		{"429 is retried for any method", http.MethodPost, []int{429, 429}, 200, 3},
		{"5xx is retried for GET", http.MethodGet, []int{503, 500}, 200, 3},
		{"5xx is retried for PUT and DELETE", http.MethodDelete, []int{502}, 200, 2},
		{"5xx is not retried for POST: the create may have happened", http.MethodPost, []int{500}, 500, 1},
		{"4xx is never retried", http.MethodGet, []int{404}, 404, 1},
		{"retries stop at the limit", http.MethodGet, []int{503, 503, 503, 503}, 503, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, calls := server(t, tt.statuses...)
			tr := newTransport(1000, 2, "secret")
			req, _ := http.NewRequest(tt.method, s.URL, strings.NewReader(`{"title":"x"}`))
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

func TestTransportHonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer s.Close()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
	resp, err := newTransport(1000, 3, "x").RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %v, Retry-After said 1s", waited)
	}
}

func TestTransportRetriesDialErrorsEvenForPOST(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	url := s.URL
	s.Close() // nothing listens: the request is never sent
	tr := newTransport(1000, 2, "x")
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("expected a connection error")
	}
	if tr.Retries() != 2 {
		t.Fatalf("%d retries of an unsent POST, want 2", tr.Retries())
	}
}

func TestDefaultRateStaysWithinCloudflareLimit(t *testing.T) {
	if got := float64(defaultBurst) + 300*DefaultRequestsPerSecond; got > 1200 {
		t.Fatalf("the default allows %.0f requests in 5 minutes", got)
	}
}

func TestTransportRateLimits(t *testing.T) {
	s, _ := server(t)
	tr := newTransport(20, 0, "x") // burst 20, then one every 50 ms
	start := time.Now()
	for range 30 {
		req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if elapsed := time.Since(start); elapsed < 400*time.Millisecond {
		t.Fatalf("30 requests at 20/s with burst 20 took only %v", elapsed)
	}
}
