package policysql

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestKeyedMutexSerialisesPerKey(t *testing.T) {
	k := keyedMutex{m: map[string]*keyedEntry{}}
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := k.lock(context.Background(), "public/bookings")
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Fatalf("%d holders at once, want 1", maxInside.Load())
	}
	if len(k.m) != 0 {
		t.Fatalf("%d entries left after all unlocks", len(k.m))
	}
}

func TestKeyedMutexOtherKeysAndCancel(t *testing.T) {
	k := keyedMutex{m: map[string]*keyedEntry{}}
	unlockA, _ := k.lock(context.Background(), "a")
	// Another key is not blocked.
	unlockB, err := k.lock(context.Background(), "b")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
	// The same key waits, and gives up with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := k.lock(ctx, "a"); err != context.DeadlineExceeded {
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
	if AdvisoryKey("public", "bookings") != AdvisoryKey("public", "bookings") {
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
