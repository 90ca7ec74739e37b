package clients

import (
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
