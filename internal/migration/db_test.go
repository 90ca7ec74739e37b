package migration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

// testDB is a fresh Supabase-fixture database and a connection to it.
type testDB struct {
	URL  string
	Conn *pgx.Conn
}

func newDB(t testing.TB) *testDB {
	t.Helper()
	url := pgtest.NewDatabase(t)
	return &testDB{URL: url, Conn: connect(t, url)}
}

func connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func (db *testDB) exec(t testing.TB, sql string) {
	t.Helper()
	if _, err := db.Conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func (db *testDB) history(t testing.TB) []HistoryRow {
	t.Helper()
	h, err := ReadHistory(context.Background(), db.Conn)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (db *testDB) historyVersions(t testing.TB) []string {
	out := []string{}
	for _, r := range db.history(t) {
		out = append(out, r.Version)
	}
	return out
}

// exists reports whether a relation (table, view, index) exists.
func (db *testDB) exists(t testing.TB, name string) bool {
	t.Helper()
	var ok bool
	if err := db.Conn.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func officeHoursFiles(t testing.TB) []File {
	t.Helper()
	files, warnings, err := ReadDir("testdata/officehours", nil)
	if err != nil || len(warnings) > 0 || len(files) != 5 {
		t.Fatalf("testdata/officehours: %d files, warnings %q, %v", len(files), warnings, err)
	}
	return files
}

func TestReadHistoryWithoutTable(t *testing.T) {
	db := newDB(t)
	h, err := ReadHistory(context.Background(), db.Conn)
	if err != nil || len(h) != 0 {
		t.Fatalf("history of a new database = %v, %v; want empty", h, err)
	}
}

func TestApplyOfficeHours(t *testing.T) {
	db := newDB(t)
	files := officeHoursFiles(t)
	res, err := Apply(context.Background(), db.Conn, files, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 5 || len(res.Recorded) != 0 {
		t.Fatalf("result %+v", res)
	}
	for _, rel := range []string{"public.users", "public.bookings", "public.upcoming_bookings", "public.bookings_mentor_starts_idx"} {
		if !db.exists(t, rel) {
			t.Errorf("%s missing after apply", rel)
		}
	}
	// The rows are what the CLI writes: version, name and split statements.
	h := db.history(t)
	for i, f := range files {
		if want := row(f); !reflect.DeepEqual(h[i], want) {
			t.Errorf("history row %d = %+v, want %+v", i, h[i], want)
		}
	}
	// A second apply has nothing to do and runs nothing.
	db.exec(t, "DROP TABLE public.bookings CASCADE") // would be recreated if re-run
	res, err = Apply(context.Background(), db.Conn, files, ApplyOptions{})
	if err != nil || len(res.Applied) != 0 || db.exists(t, "public.bookings") {
		t.Fatalf("second apply: %+v, %v, bookings re-created: %v", res, err, db.exists(t, "public.bookings"))
	}
}

func TestApplyStopsAtFailingFile(t *testing.T) {
	db := newDB(t)
	files := []File{
		mustFile(t, "1_users.sql", "create table users (id int primary key);"),
		mustFile(t, "2_bookings.sql", "create table bookings (id int);\n\ninsert into bookings\n  values (1), ('x');\n"),
		mustFile(t, "3_later.sql", "create table later (id int);"),
	}
	res, err := Apply(context.Background(), db.Conn, files, ApplyOptions{})
	var ae *ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *ApplyError", err)
	}
	if ae.File.Filename != "2_bookings.sql" || ae.Statement != 1 || ae.Line != 4 {
		t.Fatalf("failure located at %s statement %d line %d", ae.File.Filename, ae.Statement, ae.Line)
	}
	msg := err.Error()
	for _, want := range []string{
		`migration 2_bookings.sql failed at statement 2 of 2 (line 4): ERROR: invalid input syntax for type integer: "x" (SQLSTATE 22P02)`,
		"  4 |   values (1), ('x')",
		"Nothing of 2_bookings.sql was applied",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if len(res.Applied) != 1 || res.Applied[0].Version != "1" {
		t.Fatalf("applied = %+v", res.Applied)
	}
	if got := db.historyVersions(t); !reflect.DeepEqual(got, []string{"1"}) {
		t.Fatalf("history = %q", got)
	}
	if !db.exists(t, "users") || db.exists(t, "bookings") || db.exists(t, "later") {
		t.Fatal("want users only: the failing file rolled back and the later one not run")
	}
	// The connection is usable again (the failed transaction was ended).
	fixed := []File{files[0], mustFile(t, "2_bookings.sql", "create table bookings (id int);"), files[2]}
	if res, err := Apply(context.Background(), db.Conn, fixed, ApplyOptions{}); err != nil || len(res.Applied) != 2 {
		t.Fatalf("apply after fixing: %+v %v", res, err)
	}
}

func TestApplyErrorAtCommitAndHistoryRow(t *testing.T) {
	db := newDB(t)
	db.exec(t, "create table parent (id int primary key); create table child (p int references parent deferrable initially deferred)")
	f := mustFile(t, "1_deferred.sql", "insert into child values (42);")
	_, err := Apply(context.Background(), db.Conn, []File{f}, ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "failed at COMMIT") || !strings.Contains(err.Error(), "23503") {
		t.Fatalf("err = %v", err)
	}
	if len(db.history(t)) != 0 {
		t.Fatal("history written for a file whose COMMIT failed")
	}
}

func TestApplyNoTransactionDirective(t *testing.T) {
	db := newDB(t)
	files := []File{
		mustFile(t, "1_t.sql", "create table t (id int, email text);"),
		mustFile(t, "2_idx.sql", DirectiveCLINoTransaction+"\ncreate index concurrently t_id on t (id);\ncreate index concurrently t_email on t (email);"),
		mustFile(t, "3_ours.sql", DirectiveNoTransaction+"\nvacuum t;"),
	}
	if _, err := Apply(context.Background(), db.Conn, files, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if !db.exists(t, "t_id") || !db.exists(t, "t_email") {
		t.Fatal("concurrent indexes missing")
	}
	if h := db.history(t); len(h) != 3 || !reflect.DeepEqual(h[1], row(files[1])) {
		t.Fatalf("history = %+v", h)
	}

	// A failure leaves earlier statements applied and no history row.
	bad := mustFile(t, "4_bad.sql", DirectiveNoTransaction+"\ncreate index concurrently t_both on t (id, email);\ncreate index concurrently oops on nope (id);")
	_, err := Apply(context.Background(), db.Conn, append(files, bad), ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "its statements 1 to 1 were applied and stay applied") ||
		!strings.Contains(err.Error(), "supabase migration repair --status applied 4") || !strings.Contains(err.Error(), "(line 3)") {
		t.Fatalf("err = %v", err)
	}
	if !db.exists(t, "t_both") || len(db.history(t)) != 3 {
		t.Fatal("want the first statement kept and no history row")
	}
}

func TestApplySixColumnLedger(t *testing.T) {
	db := newDB(t)
	// The hosted Supabase shape, as pg_dump shows it.
	db.exec(t, `create schema supabase_migrations;
create table supabase_migrations.schema_migrations (
  version text not null primary key, statements text[], name text,
  created_by text, idempotency_key text, rollback text[],
  constraint schema_migrations_idempotency_key_key unique (idempotency_key));
insert into supabase_migrations.schema_migrations (version, name, statements, created_by, idempotency_key)
  values ('20240101000000', 'dashboard', '{"select 1"}', 'someone@example.com', 'key-1');`)
	files := []File{mustFile(t, "20240101000000_dashboard.sql", "select 1;"), mustFile(t, "20240201000000_users.sql", "create table users (id int);")}
	res, err := Apply(context.Background(), db.Conn, files, ApplyOptions{})
	if err != nil || len(res.Applied) != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	var createdBy, key *string
	var rollback []string
	if err := db.Conn.QueryRow(context.Background(), "select created_by, idempotency_key, rollback from supabase_migrations.schema_migrations where version = '20240201000000'").
		Scan(&createdBy, &key, &rollback); err != nil {
		t.Fatal(err)
	}
	if createdBy != nil || key != nil || rollback != nil {
		t.Fatalf("extra columns written: %v %v %v", createdBy, key, rollback)
	}
}

func TestApplyBaseline(t *testing.T) {
	db := newDB(t)
	files := officeHoursFiles(t)
	// The database already has the first two files' objects, applied by hand.
	db.exec(t, "create type public.user_role as enum ('mentor', 'mentee'); create table public.users (id uuid primary key)")
	res, err := Apply(context.Background(), db.Conn, files[:2], ApplyOptions{Options: Options{Baseline: files[0].Version}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Recorded) != 1 || len(res.Applied) != 1 || res.Applied[0].Version != files[1].Version {
		t.Fatalf("result %+v", res)
	}
	if h := db.history(t); len(h) != 2 || !reflect.DeepEqual(h[0], row(files[0])) {
		t.Fatalf("history = %+v", h)
	}
}

func TestApplyExpect(t *testing.T) {
	db := newDB(t)
	a := mustFile(t, "1_a.sql", "create table a (id int);")
	b := mustFile(t, "2_b.sql", "create table b (id int);")
	// A file added after the plan waits for the next plan.
	res, err := Apply(context.Background(), db.Conn, []File{a, b}, ApplyOptions{Expect: map[string]string{a.Version: a.Hash}})
	if err != nil || len(res.Applied) != 1 || db.exists(t, "b") {
		t.Fatalf("apply: %+v %v", res, err)
	}
	// A planned file edited before apply stops the apply.
	c := mustFile(t, "3_c.sql", "create table c (id int);")
	_, err = Apply(context.Background(), db.Conn, []File{a, b, c}, ApplyOptions{Expect: map[string]string{b.Version: b.Hash, c.Version: "0000"}})
	if err == nil || !strings.Contains(err.Error(), "3_c.sql changed between plan and apply") || db.exists(t, "b") {
		t.Fatalf("err = %v", err)
	}
}

// TestConcurrentApplies runs applies from several connections at once: the
// advisory lock serialises them and the history re-read under the lock
// means every migration runs exactly once.
func TestConcurrentApplies(t *testing.T) {
	db := newDB(t)
	db.exec(t, "create table runs (version text)")
	var files []File
	for i := 1; i <= 20; i++ {
		// pg_sleep widens the window a second apply would race into.
		files = append(files, mustFile(t, fmt.Sprintf("%02d_m.sql", i), fmt.Sprintf("insert into runs values ('%02d');\nselect pg_sleep(0.005);", i)))
	}
	const appliers = 4
	conns := make([]*pgx.Conn, appliers)
	for i := range conns {
		conns[i] = connect(t, db.URL)
	}
	var wg sync.WaitGroup
	applied := make([]int, appliers)
	errs := make([]error, appliers)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := Apply(ctx, conns[i], files, ApplyOptions{})
			applied[i], errs[i] = len(res.Applied), err
		}()
	}
	wg.Wait()
	total := 0
	for i := range errs {
		if errs[i] != nil {
			t.Fatalf("applier %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	var runs, distinct int
	if err := db.Conn.QueryRow(context.Background(), "select count(*), count(distinct version) from runs").Scan(&runs, &distinct); err != nil {
		t.Fatal(err)
	}
	if total != 20 || runs != 20 || distinct != 20 || len(db.history(t)) != 20 {
		t.Fatalf("applied %d in total, %d runs (%d distinct), %d history rows; want 20 each", total, runs, distinct, len(db.history(t)))
	}
}

func TestLockWaitTimesOut(t *testing.T) {
	db := newDB(t)
	holder := connect(t, db.URL)
	if _, err := holder.Exec(context.Background(), "select pg_advisory_lock($1)", LockKey); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var logged []string
	_, err := Apply(ctx, db.Conn, []File{mustFile(t, "1_a.sql", "create table a (id int);")}, ApplyOptions{
		Log: func(msg string, _ map[string]any) { logged = append(logged, msg) },
	})
	if err == nil || !strings.Contains(err.Error(), "timed out waiting for the migration lock") {
		t.Fatalf("err = %v", err)
	}
	// The cancelled wait closed db.Conn, as pgx does; check on a new one.
	if (&testDB{Conn: connect(t, db.URL)}).exists(t, "a") {
		t.Fatalf("err = %v", err)
	}
	if len(logged) == 0 || !strings.Contains(logged[0], "waiting") {
		t.Fatalf("no waiting log: %q", logged)
	}
}
