package localapi

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// RateLimit is Cloudflare's limit on one token: Requests in any Window
// (1,200 in five minutes, developers.cloudflare.com/fundamentals/api/
// reference/limits). Past it "all API calls for the next five minutes will
// be blocked" with 429 (same page): code 971, "Please wait and consider
// throttling your request speed" (the official provider's issue 5505), and
// Retry-After. Every answer carries Ratelimit and Ratelimit-Policy
// (changelog 2025-09-03). Cloudflare does not say whether its window slides
// or resets on a clock; this one slides, the stricter of the two: no five
// minutes ever hold more than Requests.
type RateLimit struct {
	Requests int           // 0 means 1,200
	Window   time.Duration // 0 means five minutes
}

type rateLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	limit    RateLimit
	byToken  map[string]*tokenWindow
	peak     int // most requests counted in one window
	refused  int
	answered int
}

type tokenWindow struct {
	sent         []time.Time // accepted requests of the last window, oldest first
	blockedUntil time.Time
}

func newRateLimiter(l RateLimit, now func() time.Time) *rateLimiter {
	if l.Requests <= 0 {
		l.Requests = 1200
	}
	if l.Window <= 0 {
		l.Window = 5 * time.Minute
	}
	return &rateLimiter{now: now, limit: l, byToken: map[string]*tokenWindow{}}
}

// admit counts one request of token, sets the rate limit fields on w and
// returns the 429 to answer, or nil.
func (rl *rateLimiter) admit(w http.ResponseWriter, token string) *core.Error {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	now := rl.now()
	tw := rl.byToken[token]
	if tw == nil {
		tw = &tokenWindow{}
		rl.byToken[token] = tw
	}
	cutoff := now.Add(-rl.limit.Window)
	drop := 0
	for drop < len(tw.sent) && !tw.sent[drop].After(cutoff) {
		drop++
	}
	tw.sent = tw.sent[drop:]
	h := w.Header()
	h.Set("Ratelimit-Policy", fmt.Sprintf(`"default";q=%d;w=%d`, rl.limit.Requests, int(rl.limit.Window.Seconds())))
	if now.Before(tw.blockedUntil) || len(tw.sent) >= rl.limit.Requests {
		if !now.Before(tw.blockedUntil) {
			tw.blockedUntil = now.Add(rl.limit.Window)
		}
		wait := ceilSeconds(tw.blockedUntil.Sub(now))
		h.Set("Ratelimit", fmt.Sprintf(`"default";r=0;t=%d`, wait))
		h.Set("Retry-After", strconv.Itoa(wait))
		rl.refused++
		return core.Errorf(http.StatusTooManyRequests, 971, "Please wait and consider throttling your request speed")
	}
	tw.sent = append(tw.sent, now)
	rl.peak = max(rl.peak, len(tw.sent))
	rl.answered++
	// The window frees its next slot when its oldest request leaves it.
	reset := ceilSeconds(tw.sent[0].Add(rl.limit.Window).Sub(now))
	h.Set("Ratelimit", fmt.Sprintf(`"default";r=%d;t=%d`, rl.limit.Requests-len(tw.sent), reset))
	return nil
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// RateLimitStats is what the rate limit saw.
type RateLimitStats struct {
	Peak     int // most requests of one token in any window
	Refused  int // answered 429 for the window
	Admitted int
}

// RateLimitStats reports the window's counts since the server started.
func (s *Server) RateLimitStats() RateLimitStats {
	s.limiter.mu.Lock()
	defer s.limiter.mu.Unlock()
	return RateLimitStats{Peak: s.limiter.peak, Refused: s.limiter.refused, Admitted: s.limiter.answered}
}
