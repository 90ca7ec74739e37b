package pgcluster_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgcluster"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestOwnerIsNotSuperuser(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	ctx := context.Background()
	var user string
	var super, bypass bool
	err := conn.QueryRow(ctx, "select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user").Scan(&user, &super, &bypass)
	if err != nil {
		t.Fatal(err)
	}
	if user != "postgres" || super || !bypass {
		t.Errorf("owner = %s super=%v bypassrls=%v; want postgres, not superuser, bypassrls", user, super, bypass)
	}
	// PG15 revoked CREATE on public from PUBLIC; the owner must still be able to.
	if _, err := conn.Exec(ctx, "create table public.t (id int)"); err != nil {
		t.Errorf("owner cannot create in public: %v", err)
	}
}

func TestFixtureRoles(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	tests := []struct {
		role                           string
		login, inherit, bypass, member bool // member: postgres can SET ROLE to it
	}{
		{role: "anon", login: false, inherit: true, bypass: false, member: true},
		{role: "authenticated", login: false, inherit: true, bypass: false, member: true},
		{role: "service_role", login: false, inherit: true, bypass: true, member: true},
		{role: "authenticator", login: true, inherit: false, bypass: false, member: false},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			var login, inherit, bypass, super, member bool
			err := conn.QueryRow(context.Background(),
				`select rolcanlogin, rolinherit, rolbypassrls, rolsuper, pg_has_role('postgres', oid, 'MEMBER')
				 from pg_roles where rolname = $1`, tt.role).Scan(&login, &inherit, &bypass, &super, &member)
			if err != nil {
				t.Fatal(err)
			}
			if login != tt.login || inherit != tt.inherit || bypass != tt.bypass || super || member != tt.member {
				t.Errorf("login=%v inherit=%v bypassrls=%v super=%v postgres-member=%v; want %v %v %v false %v",
					login, inherit, bypass, super, member, tt.login, tt.inherit, tt.bypass, tt.member)
			}
		})
	}
}

func TestAuthFunctions(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	const sub = "7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	tests := []struct {
		name                  string
		setup                 []string
		uid, role, email, jwt *string
	}{
		{
			name:  "claims json",
			setup: []string{`select set_config('request.jwt.claims', '{"sub":"` + sub + `","role":"authenticated","email":"a@b.c"}', true)`},
			uid:   ptr(sub), role: ptr("authenticated"), email: ptr("a@b.c"),
			jwt: ptr(`{"sub": "` + sub + `", "role": "authenticated", "email": "a@b.c"}`),
		},
		{
			name: "legacy per-claim settings",
			setup: []string{
				`select set_config('request.jwt.claim.sub', '` + sub + `', true)`,
				`select set_config('request.jwt.claim.role', 'service_role', true)`,
				`select set_config('request.jwt.claim.email', 'x@y.z', true)`,
			},
			uid: ptr(sub), role: ptr("service_role"), email: ptr("x@y.z"),
		},
		{name: "nothing set"},
		{
			// Set-then-reset leaves '' behind, which must read as NULL, not a cast error.
			name:  "empty settings",
			setup: []string{`select set_config('request.jwt.claims', '', true)`, `select set_config('request.jwt.claim.sub', '', true)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pgtest.Rollback(t, tx)
			for _, s := range tt.setup {
				if _, err := tx.Exec(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			var uid, role, email, jwt *string
			err = tx.QueryRow(ctx, "select auth.uid()::text, auth.role(), auth.email(), auth.jwt()::text").Scan(&uid, &role, &email, &jwt)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "auth.uid()", uid, tt.uid)
			check(t, "auth.role()", role, tt.role)
			check(t, "auth.email()", email, tt.email)
			check(t, "auth.jwt()", jwt, tt.jwt)
		})
	}
}

func TestSetRoleAuthenticatedCallsAuthUID(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pgtest.Rollback(t, tx)
	const sub = "00000000-0000-4000-8000-000000000001"
	if _, err := tx.Exec(ctx, `select set_config('request.jwt.claims', '{"sub":"`+sub+`"}', true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "set local role authenticated"); err != nil {
		t.Fatal(err)
	}
	var user, uid string
	if err := tx.QueryRow(ctx, "select current_user, auth.uid()::text").Scan(&user, &uid); err != nil {
		t.Fatal(err)
	}
	if user != "authenticated" || uid != sub {
		t.Errorf("current_user=%s auth.uid()=%s; want authenticated, %s", user, uid, sub)
	}
}

func TestDatabasesAreIsolated(t *testing.T) {
	t.Parallel()
	a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	if a == b {
		t.Fatalf("NewDatabase returned the same URL twice: %s", a)
	}
	ctx := context.Background()
	if _, err := connect(t, a).Exec(ctx, "create table only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	var found bool
	if err := connect(t, b).QueryRow(ctx, "select to_regclass('public.only_in_a') is not null").Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Error("table created in one database is visible in the other")
	}
}

func TestPersistentDirSurvivesRestart(t *testing.T) {
	testutil.RequireServices(t)
	t.Parallel()
	// Not t.TempDir(): its parent is 0700 root-owned, which the postgres user
	// cannot traverse when the tests run as root.
	parent, err := os.MkdirTemp("", "pgtest-persist-") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := parent + "/data"
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	var log1 bytes.Buffer
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Password: "first'pw", Log: &log1})
	if err != nil {
		t.Fatal(err)
	}
	url, err := c.CreateDatabase(ctx, "app")
	if err != nil {
		t.Fatalf("%v (stop: %v)", err, c.Stop())
	}
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		_, err = conn.Exec(ctx, "create table kept (v text); insert into kept values ('hello')")
		conn.Close(ctx)
	}
	if stopErr := c.Stop(); err != nil || stopErr != nil {
		t.Fatalf("first run: %v / stop: %v", err, stopErr)
	}
	if !strings.Contains(log1.String(), "initialising") || !strings.Contains(log1.String(), "applying") {
		t.Errorf("first run log lacks initialise/apply lines:\n%s", log1.String())
	}
	if _, err := os.Stat(dir + "/PG_VERSION"); err != nil {
		t.Fatalf("data dir not kept after Stop: %v", err)
	}

	var log2 bytes.Buffer
	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Log: &log2}) // new random owner password
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	if !strings.Contains(log2.String(), "reusing") || strings.Contains(log2.String(), "applying") {
		t.Errorf("second run should reuse without reapplying the fixture:\n%s", log2.String())
	}
	conn = connect(t, c.URL("app"))
	var v string
	if err := conn.QueryRow(ctx, "select v from kept").Scan(&v); err != nil || v != "hello" {
		t.Errorf("data after restart: %q, %v", v, err)
	}
	if _, err := c.CreateDatabase(ctx, "app2"); err != nil {
		t.Errorf("cloning the fixture after restart: %v", err)
	}
	if _, err := c.CreateDatabase(ctx, "app"); err == nil {
		t.Error("creating an existing database should fail")
	}
}

func ptr(s string) *string { return &s }

func check(t *testing.T, what string, got, want *string) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil || *got != *want:
		t.Errorf("%s = %s, want %s", what, show(got), show(want))
	}
}

func show(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

// TestPersistentDirBelowPrivateParent: a checkout under a directory the
// postgres system user cannot traverse (mktemp -d, /root) still gets its
// local stack: as root the cluster moves to the temporary folder and the
// dir links to it, and a restart finds the data again.
func TestPersistentDirBelowPrivateParent(t *testing.T) {
	testutil.RequireServices(t)
	t.Parallel()
	parent, err := os.MkdirTemp("", "pgtest-private-") //nolint:usetesting // 0700, root-owned when root: the case under test
	if err != nil {
		t.Fatal(err)
	}
	dir := parent + "/data"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var log1 bytes.Buffer
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Log: &log1})
	if err != nil {
		t.Fatal(err)
	}
	target, _ := filepath.EvalSymlinks(dir)
	t.Cleanup(func() { os.RemoveAll(target); os.RemoveAll(parent) })
	url, err := c.CreateDatabase(ctx, "app")
	if err == nil {
		var conn *pgx.Conn
		if conn, err = pgx.Connect(ctx, url); err == nil {
			_, err = conn.Exec(ctx, "create table kept (v text)")
			conn.Close(ctx)
		}
	}
	if stopErr := c.Stop(); err != nil || stopErr != nil {
		t.Fatalf("first run: %v / stop: %v", err, stopErr)
	}
	if os.Geteuid() == 0 {
		if target == dir || !strings.Contains(log1.String(), "not reachable by the postgres system user") {
			t.Fatalf("as root, the cluster should have moved out of %s (now %s):\n%s", dir, target, log1.String())
		}
	}

	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	if err := connect(t, c.URL("app")).QueryRow(ctx, "select count(*) from kept").Scan(new(int)); err != nil {
		t.Errorf("data after restart: %v", err)
	}
}
