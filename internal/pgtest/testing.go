// Package pgtest gives tests databases: one throwaway PostgreSQL cluster
// (internal/pgcluster) per test binary, and a fresh fixture database per
// test. It imports testing, so only tests use it.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgcluster"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// One cluster per test binary: initdb + fixture cost about a second, a new
// database from the template only milliseconds.
var (
	sharedOnce sync.Once
	sharedMu   sync.Mutex
	shared     *pgcluster.Cluster
	sharedErr  error
	dbCounter  atomic.Int64
	unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)
)

// RunMain runs the tests and then stops the shared cluster, if any test
// started one. Use it as func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }.
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
func Shared(tb testing.TB) *pgcluster.Cluster {
	tb.Helper()
	testutil.RequireServices(tb)
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		c, err := pgcluster.Start(ctx, pgcluster.Options{})
		sharedMu.Lock()
		shared, sharedErr = c, err
		sharedMu.Unlock()
	})
	if sharedErr != nil {
		tb.Fatalf("pgtest: starting the shared PostgreSQL cluster failed: %v", sharedErr)
	}
	return shared
}

// NewDatabase creates a fresh database of today's Supabase (no default
// grants) in the shared cluster, drops it when the test ends and returns
// its owner URL.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	return NewDatabaseFrom(tb, pgcluster.Today)
}

// NewDatabaseFrom is NewDatabase from another template, for example
// pgcluster.LegacyDefaultGrants for a project of an earlier year.
func NewDatabaseFrom(tb testing.TB, t pgcluster.Template) string {
	tb.Helper()
	c := Shared(tb)
	name := databaseName(tb.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, err := c.CreateDatabaseFrom(ctx, name, t)
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
	suffix := fmt.Sprintf("_%d_%x", dbCounter.Add(1), rand.Uint32()&0xffffff)
	if room := 63 - len("t_") - len(suffix); len(base) > room {
		base = base[:room]
	}
	return "t_" + base + suffix
}

// DB is a fresh fixture database for one test, with a pool connected as
// its owner (postgres, not a superuser, as on Supabase).
type DB struct {
	URL  string
	Pool *pgxpool.Pool
}

// NewDB creates a database of today's Supabase, opens a pool closed when the
// test ends, and runs each setup script in it.
func NewDB(tb testing.TB, setup ...string) *DB {
	tb.Helper()
	db := &DB{URL: NewDatabase(tb)}
	pool, err := pgxpool.New(context.Background(), db.URL)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(pool.Close)
	db.Pool = pool
	for _, sql := range setup {
		if sql != "" {
			db.Exec(tb, sql)
		}
	}
	return db
}

// Exec runs SQL out of band, as psql or the Supabase dashboard would; an
// error fails the test.
func (db *DB) Exec(tb testing.TB, sql string, args ...any) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// Name is the database's name, quoted for SQL.
func (db *DB) Name(tb testing.TB) string {
	tb.Helper()
	var name string
	if err := db.Pool.QueryRow(context.Background(), "SELECT quote_ident(current_database())").Scan(&name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return name
}

// Rollback rolls tx back when the test ends (a transaction already ended
// is fine), failing the test if the rollback fails.
func Rollback(tb testing.TB, tx pgx.Tx) {
	tb.Cleanup(func() {
		if err := tx.Rollback(context.Background()); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
			tb.Errorf("pgtest: rolling back: %v", err)
		}
	})
}

// StorageURL connects to the database of databaseURL (from NewDatabase) as
// supabase_storage_admin, for the local Storage API.
func StorageURL(tb testing.TB, databaseURL string) string {
	tb.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return Shared(tb).StorageURL(strings.TrimPrefix(u.Path, "/"))
}
