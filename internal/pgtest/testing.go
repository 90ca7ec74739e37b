package pgtest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// One cluster per test binary: initdb + fixture cost about a second, a new
// database from the template only milliseconds.
var (
	sharedOnce sync.Once
	sharedMu   sync.Mutex
	shared     *Cluster
	sharedErr  error
	dbCounter  atomic.Int64
	unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)
)

// RunMain runs the tests and then stops the shared cluster, if any test
// started one. Use it as: func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }
func RunMain(m *testing.M) int {
	code := m.Run()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping shared cluster: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		shared = nil
	}
	return code
}

// Shared returns the cluster shared by this test binary, starting it on first
// use. A failure is fatal, never a skip: acceptance tests must not pass
// silently on a machine without PostgreSQL.
func Shared(tb testing.TB) *Cluster {
	tb.Helper()
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		c, err := Start(ctx, Options{})
		sharedMu.Lock()
		shared, sharedErr = c, err
		sharedMu.Unlock()
	})
	if sharedErr != nil {
		tb.Fatalf("pgtest: starting the shared PostgreSQL cluster failed: %v", sharedErr)
	}
	return shared
}

// NewDatabase creates a fresh fixture database in the shared cluster, drops
// it when the test ends and returns its owner URL.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	c := Shared(tb)
	name := databaseName(tb.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, err := c.CreateDatabase(ctx, name)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.DropDatabase(ctx, name); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return url
}

// databaseName derives a readable, unique identifier (max 63 bytes) from the
// test name so leftover databases can be traced back to their test.
func databaseName(testName string) string {
	base := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(testName), "_"), "_")
	suffix := fmt.Sprintf("_%d_%s", dbCounter.Add(1), randomHex(3))
	if max := 63 - len("t_") - len(suffix); len(base) > max {
		base = base[:max]
	}
	return "t_" + base + suffix
}
