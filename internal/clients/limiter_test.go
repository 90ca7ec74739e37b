package clients

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// The window's arithmetic, on an injected clock: a burst up to the budget
// goes at once, the next request waits until the oldest leaves the window.
func TestWindowLimiterUsesTheWholeBudgetAtOnce(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(DefaultLimit(), c.now)
	for i := range DefaultRequestBudget {
		if d := l.reserve(); d != 0 {
			t.Fatalf("request %d waits %v inside the budget", i+1, d)
		}
	}
	if d := l.reserve(); d != CloudflareWindow {
		t.Fatalf("the request past the budget waits %v, want the whole window", d)
	}
	c.advance(CloudflareWindow)
	// The budget's first request has left; the one reserved above holds a slot.
	if d := l.reserve(); d != 0 {
		t.Fatalf("after the window: waits %v", d)
	}
}

func TestWindowLimiterSpreadsWhenTheWindowIsFull(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(LimitConfig{Budget: 3, Window: time.Minute}, c.now)
	for range 3 {
		l.reserve()
		c.advance(10 * time.Second) // sent at 0s, 10s, 20s
	}
	// at 30s: the next slot frees when the request of 0s leaves (60s)
	if d := l.reserve(); d != 30*time.Second {
		t.Fatalf("waits %v, want 30s", d)
	}
	// and the one after that when the request of 10s leaves (70s)
	if d := l.reserve(); d != 40*time.Second {
		t.Fatalf("waits %v, want 40s", d)
	}
}

func TestWindowLimiterPausesEveryoneAfterA429(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(DefaultLimit(), c.now)
	l.reserve()
	l.pause(5 * time.Second)
	for range 3 {
		if d := l.reserve(); d != 5*time.Second {
			t.Fatalf("waits %v during a 5s pause", d)
		}
	}
	c.advance(5 * time.Second)
	if d := l.reserve(); d != 0 {
		t.Fatalf("waits %v after the pause", d)
	}
}

func TestWindowLimiterPerSecondCap(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(LimitConfig{Budget: 100, Window: time.Minute, PerSecond: 4}, c.now)
	for i, want := range []time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond} {
		if d := l.reserve(); d != want {
			t.Fatalf("request %d waits %v, want %v", i+1, d, want)
		}
	}
}

func rateHeader(remaining, resetSeconds int) http.Header {
	h := http.Header{}
	h.Set("Ratelimit", fmt.Sprintf(`"default";r=%d;t=%d`, remaining, resetSeconds))
	h.Set("Ratelimit-Policy", `"default";q=1200;w=300`)
	return h
}

// A fresh token (1,199 left after the first answer) leaves the whole budget
// to go at once: the server's count binds only when others used the token.
func TestWindowLimiterServerCountWithRoom(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(DefaultLimit(), c.now)
	l.reserve()
	l.answered(rateHeader(1199, 300))
	for i := range DefaultRequestBudget - 1 {
		if d := l.reserve(); d != 0 {
			t.Fatalf("request %d waits %v with 1,199 left", i+2, d)
		}
	}
}

// Another process (the plan before this apply, wrangler) used 1,050 of the
// token's 1,200: 150 are left, fewer than the 200 kept for others, so this
// process sends nothing until the reset and then one per quarter second
// (300 s / 1,200), until an answer says there is room again.
func TestWindowLimiterServerCountUsedByOthers(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(DefaultLimit(), c.now)
	l.reserve()
	l.answered(rateHeader(150, 40))
	for i, want := range []time.Duration{40 * time.Second, 40*time.Second + 250*time.Millisecond, 40*time.Second + 500*time.Millisecond} {
		if d := l.reserve(); d != want {
			t.Fatalf("request %d waits %v, want %v", i+2, d, want)
		}
	}
	c.advance(41 * time.Second)
	// Three reservations are still in flight: the server will count them.
	l.answered(rateHeader(1000, 300))
	left := 1000 - 200 - 2
	for i := range left {
		if d := l.reserve(); d != 0 {
			t.Fatalf("request %d waits %v after the reset", i+1, d)
		}
	}
	if d := l.reserve(); d <= 0 {
		t.Fatal("the request past what the server left went at once")
	}
}

// A budget above the quota keeps nothing back: the server's own count is
// the only limit besides the process's window.
func TestWindowLimiterLiftedBudgetKeepsNothing(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newWindowLimiter(LimitConfig{Budget: 1_000_000, Window: CloudflareWindow}, c.now)
	l.reserve()
	l.answered(rateHeader(3, 100))
	for range 3 {
		if d := l.reserve(); d != 0 {
			t.Fatalf("waits %v with requests left", d)
		}
	}
	if d := l.reserve(); d != 100*time.Second {
		t.Fatalf("waits %v with none left, want the reset (100s)", d)
	}
}

func TestTightestQuota(t *testing.T) {
	for _, tt := range []struct {
		name          string
		limit, policy string
		ok            bool
		remaining, q  int
		reset, window time.Duration
	}{
		{"Cloudflare's example", `"default";r=50;t=30`, `"default";q=1200;w=300`, true, 50, 1200, 30 * time.Second, 5 * time.Minute},
		{"no policy: Cloudflare's documented quota", `"default";r=7;t=1`, "", true, 7, 1200, time.Second, 5 * time.Minute},
		{"the tightest of two", `"default";r=900;t=200, "burst";r=4;t=20`, `"default";q=1200;w=300, "burst";q=100;w=60`, true, 4, 100, 20 * time.Second, time.Minute},
		{"token names", `default;r=10;t=5`, `default;q=600;w=60`, true, 10, 600, 5 * time.Second, time.Minute},
		{"no header", "", "", false, 0, 0, 0, 0},
		{"unreadable", `"default";r=many;t=30`, "", false, 0, 0, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.limit != "" {
				h.Set("Ratelimit", tt.limit)
			}
			if tt.policy != "" {
				h.Set("Ratelimit-Policy", tt.policy)
			}
			got, ok := tightestQuota(h)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, got)
			}
			if !ok {
				return
			}
			want := quota{remaining: tt.remaining, reset: tt.reset, quota: tt.q, window: tt.window}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestLeastWait(t *testing.T) {
	for n, want := range map[int]time.Duration{0: 0, 600: 0, DefaultRequestBudget: 0, DefaultRequestBudget + 1: CloudflareWindow, 2*DefaultRequestBudget + 1: 2 * CloudflareWindow} {
		if got := LeastWait(n, DefaultLimit()); got != want {
			t.Errorf("LeastWait(%d) = %v, want %v", n, got, want)
		}
	}
}
