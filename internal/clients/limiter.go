package clients

import (
	"sync"
	"time"
)

// Cloudflare allows 1,200 API requests per account in any five minutes
// (developers.cloudflare.com/fundamentals/api/reference/limits; the official
// provider's issues 21 and 435). Other tools share that budget with this
// provider (wrangler, the dashboard, other pipelines), so by default it
// leaves them a sixth.
const (
	CloudflareWindow         = 5 * time.Minute
	CloudflareWindowRequests = 1200
	DefaultRequestBudget     = 1000
)

// LimitConfig configures the client-side limiter.
type LimitConfig struct {
	// Budget is how many requests the provider sends in any Window.
	Budget int
	// Window is Cloudflare's window, CloudflareWindow unless a test says.
	Window time.Duration
	// PerSecond, when above zero, also spaces requests to this rate.
	PerSecond float64
}

// DefaultLimit is the limiter users get.
func DefaultLimit() LimitConfig {
	return LimitConfig{Budget: DefaultRequestBudget, Window: CloudflareWindow}
}

// windowLimiter holds the send times of the requests of the last window.
// A request goes at once while fewer than Budget were sent in the window;
// otherwise it waits until the oldest of the last Budget leaves it. A 429
// pauses every request until its Retry-After has passed: Cloudflare counts
// per account, so one refusal means the window is used up for all.
type windowLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	cfg      LimitConfig
	sent     []time.Time // oldest first; may hold reservations in the future
	pausedTo time.Time
	nextAt   time.Time // PerSecond spacing
}

func newWindowLimiter(cfg LimitConfig, now func() time.Time) *windowLimiter {
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultRequestBudget
	}
	if cfg.Window <= 0 {
		cfg.Window = CloudflareWindow
	}
	return &windowLimiter{now: now, cfg: cfg}
}

// reserve books the next send and returns how long to wait for it.
func (l *windowLimiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-l.cfg.Window)
	drop := 0
	for drop < len(l.sent) && !l.sent[drop].After(cutoff) {
		drop++
	}
	l.sent = l.sent[drop:]
	at := now
	if l.pausedTo.After(at) {
		at = l.pausedTo
	}
	if n := len(l.sent); n >= l.cfg.Budget {
		if free := l.sent[n-l.cfg.Budget].Add(l.cfg.Window); free.After(at) {
			at = free
		}
	}
	if l.cfg.PerSecond > 0 {
		if l.nextAt.After(at) {
			at = l.nextAt
		}
		l.nextAt = at.Add(time.Duration(float64(time.Second) / l.cfg.PerSecond))
	}
	l.sent = append(l.sent, at)
	return at.Sub(now)
}

// pause holds every request back for d (a 429's Retry-After).
func (l *windowLimiter) pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := l.now().Add(d); until.After(l.pausedTo) {
		l.pausedTo = until
	}
}
