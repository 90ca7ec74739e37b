package policysql

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// Mutual exclusion without timing: while one holder has the key, every
// other caller is queued (counted in the entry) and none gets it; each
// release lets exactly one through.
func TestKeyedMutexSerialisesPerKey(t *testing.T) {
	k := keyedMutex{m: map[string]*keyedEntry{}}
	const key = "public/bookings"
	unlock, err := k.lock(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	const waiters = 5
	acquired := make(chan func(), waiters)
	for range waiters {
		go func() {
			u, err := k.lock(context.Background(), key)
			if err != nil {
				t.Error(err)
				return
			}
			acquired <- u
		}()
	}
	waitUntil(t, func() bool { return k.refs(key) == 1+waiters }) // all queued
	if len(acquired) != 0 {
		t.Fatal("a caller got the key while it was held")
	}
	for held := 0; held < waiters; held++ {
		unlock()
		unlock = <-acquired
		waitUntil(t, func() bool { return k.refs(key) == waiters-held })
		if len(acquired) != 0 {
			t.Fatalf("after release %d: %d callers hold the key at once", held+1, 1+len(acquired))
		}
	}
	unlock()
	if k.refs(key) != 0 || len(k.m) != 0 {
		t.Fatalf("%d entries left after all unlocks", len(k.m))
	}
}

// refs is how many callers hold or wait for key.
func (k *keyedMutex) refs(key string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e := k.m[key]; e != nil {
		return e.refs
	}
	return 0
}

// waitUntil yields until cond holds; the goroutines it waits for need no
// time, only a turn.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 10_000_000 {
			t.Fatal("condition never held")
		}
		runtime.Gosched()
	}
}

func TestKeyedMutexOtherKeysAndCancel(t *testing.T) {
	k := keyedMutex{m: map[string]*keyedEntry{}}
	unlockA, err := k.lock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	// Another key is not blocked.
	unlockB, err := k.lock(context.Background(), "b")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
	// The same key waits, and gives up with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := k.lock(ctx, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock on a held key = %v, want deadline exceeded", err)
	}
	unlockA()
	unlockA2, err := k.lock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	unlockA2()
	if len(k.m) != 0 {
		t.Fatalf("%d entries left", len(k.m))
	}
}

func TestAdvisoryKeyAndSearchPath(t *testing.T) {
	if first, again := AdvisoryKey("public", "bookings"), AdvisoryKey("public", "bookings"); first != again {
		t.Fatal("AdvisoryKey not deterministic")
	}
	// "a.b"/"c" and "a"/"b.c" must not share a key: parts are escaped and joined with "/".
	if AdvisoryKey("a.b", "c") == AdvisoryKey("a", "b.c") || AdvisoryKey("a/b", "c") == AdvisoryKey("a", "b/c") {
		t.Fatal("AdvisoryKey collides for different tables")
	}
	for schema, want := range map[string]string{
		"public":     "public, extensions, pg_temp",
		"extensions": "extensions, public, pg_temp",
		"app":        `"app", public, extensions, pg_temp`,
		`my "s"`:     `"my ""s""", public, extensions, pg_temp`,
	} {
		if got, err := SearchPath(schema); err != nil || got != want {
			t.Errorf("SearchPath(%q) = %q, %v; want %q", schema, got, err, want)
		}
	}
	if _, err := SearchPath(""); err == nil {
		t.Error("empty schema accepted")
	}
}
