package clients

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// Cloudflare allows 1,200 requests per account in any five minutes. A token
// bucket of rate r and burst b lets through at most b + 300·r requests in
// five minutes, so the default keeps b + 300·r at 1,200.
const (
	defaultBurst             = 30
	DefaultRequestsPerSecond = float64(1200-defaultBurst) / 300
	DefaultMaxRetries        = 6
	requestTimeout           = 60 * time.Second
	maxBackoff               = 20 * time.Second
	maxRetryAfter            = 60 * time.Second
)

// transport is the one HTTP layer every Cloudflare request goes through:
// client-side rate limiting, retries with backoff, and logs that never carry
// the Authorization header.
type transport struct {
	next       http.RoundTripper
	limiter    *rate.Limiter
	maxRetries int
	secret     string // masked out of every log line
	retries    atomic.Int64
}

func newTransport(requestsPerSecond float64, maxRetries int, secret string) *transport {
	burst := min(defaultBurst, max(1, int(requestsPerSecond)))
	return &transport{
		next:       http.DefaultTransport,
		limiter:    rate.NewLimiter(rate.Limit(requestsPerSecond), burst),
		maxRetries: maxRetries,
		secret:     secret,
	}
}

// RoundTrip sends req, retrying when the answer says the request can be
// repeated safely. Requests that change state (POST, PATCH) are retried only
// when Cloudflare did not process them (429) or no connection was made: a
// lost answer to a create must be resolved by the resource (look the object
// up), not by blindly sending it again.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := tflog.MaskMessageStrings(req.Context(), t.secret)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, t.secret)
	for attempt := 0; ; attempt++ {
		if err := t.limiter.Wait(req.Context()); err != nil {
			return nil, err
		}
		attemptReq, err := rewind(req, attempt)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := t.next.RoundTrip(attemptReq)
		wait, retry := t.shouldRetry(req.Method, resp, err, attempt)
		fields := map[string]any{"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1, "duration_ms": time.Since(start).Milliseconds()}
		if resp != nil {
			fields["status"] = resp.StatusCode
		}
		if err != nil {
			fields["error"] = err.Error()
		}
		tflog.Debug(ctx, "Cloudflare API request", fields)
		if !retry {
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		t.retries.Add(1)
		tflog.Info(ctx, "Retrying Cloudflare API request", map[string]any{"method": req.Method, "path": req.URL.Path, "wait_ms": wait.Milliseconds()})
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// Retries is how many requests were sent again since the provider started.
func (t *transport) Retries() int64 { return t.retries.Load() }

func (t *transport) shouldRetry(method string, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= t.maxRetries {
		return 0, false
	}
	idempotent := method == http.MethodGet || method == http.MethodHead || method == http.MethodPut || method == http.MethodDelete
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return 0, false
		}
		if idempotent || neverSent(err) {
			return backoff(attempt), true
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		if d, ok := retryAfter(resp); ok {
			return d, true
		}
		return backoff(attempt), true
	case resp.StatusCode >= 500 && idempotent:
		return backoff(attempt), true
	}
	return 0, false
}

// neverSent reports a failure to connect, after which nothing reached the
// server and any request may be sent again.
func neverSent(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return min(time.Duration(secs)*time.Second, maxRetryAfter), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(at), 0), maxRetryAfter), true
	}
	return 0, false
}

// backoff is exponential from 250 ms with full jitter.
func backoff(attempt int) time.Duration {
	ceiling := min(250*time.Millisecond<<attempt, maxBackoff)
	return time.Duration(rand.Int64N(int64(ceiling)) + int64(ceiling)/2)
}

func rewind(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 0 || req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("cannot resend %s %s: its body cannot be replayed", req.Method, req.URL.Path)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	clone := req.Clone(req.Context())
	clone.Body = body
	return clone, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
