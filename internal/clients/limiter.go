package clients

import (
	"net/http"
	"sync"
	"time"
)

// Cloudflare allows 1,200 API requests per user or account token in any
// five minutes, and a client past it is refused every call for the next
// five minutes (developers.cloudflare.com/fundamentals/api/reference/limits;
// the official provider's issues 5505 and 5496). Other tools share that
// budget (wrangler, the dashboard, other pipelines), so by default the
// provider leaves them a sixth.
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

// windowLimiter decides when each request may go. Three things hold a
// request back:
//
//   - its own window: the send times of this process's requests of the last
//     Window; while fewer than Budget were sent, a request goes at once,
//     otherwise it waits until the oldest of the last Budget leaves;
//   - the server's count: every Cloudflare answer says in its Ratelimit
//     header how many requests the token has left before the window resets
//     (counting every tool and every provider process on the token, such
//     as the plan and the apply of one `terraform apply`), and in
//     Ratelimit-Policy the quota. Budget is a share of Cloudflare's 1,200,
//     so the limiter keeps the rest of the quota (200 of 1,200 by default)
//     for the others, and for the first requests of the next process, which
//     go before it has read an answer. Once only those are left, it sends
//     at the quota's steady rate (window / quota apart) from the reset on,
//     until an answer says there is room again;
//   - a 429: every request waits out its Retry-After.
type windowLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	cfg      LimitConfig
	sent     []time.Time // oldest first; may hold reservations in the future
	pausedTo time.Time
	nextAt   time.Time // PerSecond spacing
	inFlight int       // reserved and not yet answered
	server   serverView
}

// serverView is what the last answer said of the token's window.
type serverView struct {
	known   bool
	left    int // requests this process may still send before resetAt
	resetAt time.Time
	spacing time.Duration // the quota's steady rate, once left is used up
	nextAt  time.Time     // the next steady-rate slot
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

// reserve books the next send and returns how long to wait for it. Every
// reservation must be followed by answered.
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
	if s := &l.server; s.known {
		if s.left > 0 {
			s.left--
		} else {
			at = latest(at, s.resetAt, s.nextAt)
			s.nextAt = at.Add(s.spacing)
		}
	}
	l.sent = append(l.sent, at)
	l.inFlight++
	return at.Sub(now)
}

// answered ends a reservation; header is the answer's (nil when none came)
// and updates the server's count.
func (l *windowLimiter) answered(header http.Header) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight = max(0, l.inFlight-1)
	q, ok := tightestQuota(header)
	if !ok {
		return
	}
	now := l.now()
	share := float64(l.cfg.Budget) / CloudflareWindowRequests
	keep := max(0, q.quota-int(share*float64(q.quota)))
	l.server = serverView{
		known: true,
		// Requests already reserved will be counted by the server too.
		left:    q.remaining - keep - l.inFlight,
		resetAt: now.Add(q.reset),
		spacing: q.window / time.Duration(max(q.quota, 1)),
		nextAt:  l.server.nextAt,
	}
}

// pause holds every request back for d (a 429's Retry-After).
func (l *windowLimiter) pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := l.now().Add(d); until.After(l.pausedTo) {
		l.pausedTo = until
	}
}

func latest(ts ...time.Time) time.Time {
	out := ts[0]
	for _, t := range ts[1:] {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// LeastWait is the least time the limiter adds to n requests sent as fast
// as they can go, with cfg, on a token nobody else uses: how long the last
// of them waits for its slot. Benchmarks state it for the default limit.
func LeastWait(n int, cfg LimitConfig) time.Duration {
	start := time.Unix(0, 0)
	l := newWindowLimiter(cfg, func() time.Time { return start })
	var last time.Duration
	for range n {
		last = l.reserve()
	}
	return last
}
