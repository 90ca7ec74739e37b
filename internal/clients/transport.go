package clients

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	// DefaultMaxRetries is how often a request is sent again by default.
	DefaultMaxRetries = 6
	requestTimeout    = 60 * time.Second
	minBackoff        = 250 * time.Millisecond
	maxBackoff        = 20 * time.Second
	// maxRetryAfter caps a 429's wait at Cloudflare's own block, five minutes.
	maxRetryAfter = CloudflareWindow
)

// transport is the one HTTP layer every Cloudflare request goes through:
// the client-side limiter, the transport's share of the retry contract (see
// cfwrite.go), and logs that never carry the Authorization header.
type transport struct {
	next       http.RoundTripper
	limiter    *windowLimiter
	maxRetries int
	secret     string // masked out of every log line
	sleep      func(context.Context, time.Duration) error
}

func newTransport(limit LimitConfig, maxRetries int, secret string) *transport {
	// The timeout is per attempt: a whole request may wait for the limiter.
	next := http.DefaultTransport.(*http.Transport).Clone()
	next.ResponseHeaderTimeout = requestTimeout
	return &transport{
		next:       next,
		limiter:    newWindowLimiter(limit, time.Now),
		maxRetries: maxRetries,
		secret:     secret,
		sleep:      sleep,
	}
}

// RoundTrip sends req, sending it again when Cloudflare cannot have acted
// on it (429, no connection) or, for reads, when it failed (5xx, lost answer).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := tflog.MaskMessageStrings(req.Context(), t.secret)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, t.secret)
	for attempt := 0; ; attempt++ {
		if wait := t.limiter.reserve(); wait > 0 {
			if err := t.sleep(req.Context(), wait); err != nil {
				t.limiter.answered(nil)
				return nil, err
			}
		}
		attemptReq, err := rewind(req, attempt)
		if err != nil {
			t.limiter.answered(nil)
			return nil, err
		}
		start := time.Now()
		resp, err := t.next.RoundTrip(attemptReq)
		if resp != nil {
			t.limiter.answered(resp.Header)
		} else {
			t.limiter.answered(nil)
		}
		fields := map[string]any{"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1, "duration_ms": time.Since(start).Milliseconds()}
		if resp != nil {
			fields["status"] = resp.StatusCode
		}
		if err != nil {
			fields["error"] = err.Error()
		}
		tflog.Debug(ctx, "Cloudflare API request", fields)
		wait, retry := t.shouldRetry(ctx, req.Method, resp, err, attempt)
		if !retry {
			if err != nil && neverSent(err) {
				err = &notSentError{err}
			}
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		tflog.Info(ctx, "Retrying Cloudflare API request", map[string]any{"method": req.Method, "path": req.URL.Path, "wait_ms": wait.Milliseconds()})
		if wait > 0 {
			if err := t.sleep(req.Context(), wait); err != nil {
				return nil, err
			}
		}
	}
}

func (t *transport) shouldRetry(ctx context.Context, method string, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= t.maxRetries {
		return 0, false
	}
	read := method == http.MethodGet || method == http.MethodHead
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return 0, false
		}
		if read || neverSent(err) {
			return backoff(attempt), true
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		wait, ok := retryAfter(resp, time.Now())
		if !ok {
			wait = backoff(attempt)
		}
		if wait >= time.Minute {
			tflog.Warn(ctx, "Cloudflare refused a request for exceeding the account's rate limit; every request waits", map[string]any{"wait_s": int(wait.Seconds())})
		}
		t.limiter.pause(wait) // the limiter holds this request back too
		return 0, true
	case resp.StatusCode >= 500 && read:
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

// retryAfter reads Retry-After in seconds or as an HTTP date, capped.
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return min(time.Duration(secs)*time.Second, maxRetryAfter), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// backoff is exponential from minBackoff, capped at maxBackoff, with equal
// jitter: a random wait between half the step and the whole step, so it
// never exceeds maxBackoff and never drops below half of it.
func backoff(attempt int) time.Duration {
	step := maxBackoff
	if attempt < 20 {
		step = min(minBackoff<<attempt, maxBackoff)
	}
	half := int64(step) / 2
	return time.Duration(half + rand.Int64N(half+1))
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
