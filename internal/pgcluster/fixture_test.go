package pgcluster_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgcluster"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

// sqlState runs sql and returns its SQLSTATE ("" when it succeeded).
func sqlState(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	_, err := conn.Exec(context.Background(), sql)
	if err == nil {
		return ""
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		t.Fatalf("%s: %v", sql, err)
	}
	return pg.Code
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Since 2026-10-30 (changelog #45329) a new public table is not granted to
// the API roles; the legacy template keeps the grants of older projects.
func TestNoDefaultGrantsToday(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		template pgcluster.Template
		want     string // SQLSTATE of anon's select
	}{
		{pgcluster.Today, "42501"},
		{pgcluster.LegacyDefaultGrants, ""},
	} {
		conn := connect(t, pgtest.NewDatabaseFrom(t, tc.template))
		mustExec(t, conn, "create table public.notes (id int)")
		mustExec(t, conn, "begin")
		mustExec(t, conn, "set local role anon")
		if got := sqlState(t, conn, "select * from public.notes"); got != tc.want {
			t.Errorf("%s: anon's select answered %q, want %q", tc.template, got, tc.want)
		}
		mustExec(t, conn, "rollback")
	}
}

// auth.users and the storage tables belong to Supabase's services, and
// postgres is not a member of their owners (supabase/postgres migration
// 20250421084701).
func TestServiceOwnedTables(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	ctx := context.Background()
	for table, owner := range map[string]string{
		"auth.users": "supabase_auth_admin", "storage.buckets": "supabase_storage_admin", "storage.objects": "supabase_storage_admin",
	} {
		var got string
		var rls, member bool
		err := conn.QueryRow(ctx, `select pg_get_userbyid(relowner), relrowsecurity, pg_has_role('postgres', relowner, 'member')
			from pg_class where oid = $1::regclass`, table).Scan(&got, &rls, &member)
		if err != nil {
			t.Fatal(err)
		}
		if got != owner || member {
			t.Errorf("%s: owner %s (postgres a member: %v), want %s and not a member", table, got, member, owner)
		}
		if table != "auth.users" && !rls {
			t.Errorf("%s: row level security is off", table)
		}
	}
	var folders []string
	if err := conn.QueryRow(ctx, "select storage.foldername('u1/avatars/me.png')").Scan(&folders); err != nil || strings.Join(folders, "/") != "u1/avatars" {
		t.Errorf("storage.foldername: %v %v", folders, err)
	}
	var file, ext string
	if err := conn.QueryRow(ctx, "select storage.filename('u1/me.png'), storage.extension('u1/me.png')").Scan(&file, &ext); err != nil || file != "me.png" || ext != "png" {
		t.Errorf("storage.filename/extension: %q %q %v", file, ext, err)
	}
	// An app's profiles table references auth.users.
	mustExec(t, conn, "create table public.profiles (id uuid primary key references auth.users (id) on delete cascade)")
	// Rows go through the Storage API; a direct delete is refused.
	mustExec(t, conn, "insert into storage.buckets (id, name) values ('avatars', 'avatars')")
	if got := sqlState(t, conn, "delete from storage.buckets"); got != "42501" {
		t.Errorf("a direct delete from storage.buckets answered %q, want 42501", got)
	}
}

// supautils.policy_grants lets postgres manage the policies of these tables
// but not alter the tables, nor rename their policies (a RenameStmt, which
// supautils does not elevate: supabase/supautils src/supautils.c).
func TestPolicyGrantsOnServiceOwnedTables(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	for _, sql := range []string{
		`create policy "own folder" on storage.objects for insert to authenticated with check ((storage.foldername(name))[1] = auth.uid()::text)`,
		`alter policy "own folder" on storage.objects with check (bucket_id = 'avatars')`,
		`comment on policy "own folder" on storage.objects is 'avatars'`,
		`create policy "read own" on auth.users for select to authenticated using (id = auth.uid())`,
	} {
		mustExec(t, conn, sql)
	}
	for _, sql := range []string{
		`alter policy "own folder" on storage.objects rename to "renamed"`,
		`alter table storage.objects disable row level security`,
		`alter table auth.users enable row level security`,
	} {
		if got := sqlState(t, conn, sql); got != "42501" {
			t.Errorf("%s answered %q, want 42501 (must be owner)", sql, got)
		}
	}
	mustExec(t, conn, `drop policy "own folder" on storage.objects`)
	// The elevation lasts one statement: postgres is no member afterwards,
	// also after a refused one inside a transaction.
	mustExec(t, conn, "begin")
	if got := sqlState(t, conn, `create policy x on storage.objects using (nonsense_column = 1)`); got == "" {
		t.Fatal("a policy on a missing column was accepted")
	}
	mustExec(t, conn, "rollback")
	var member bool
	if err := conn.QueryRow(context.Background(), "select pg_has_role('postgres', 'supabase_storage_admin', 'member')").Scan(&member); err != nil || member {
		t.Fatalf("postgres is a member of supabase_storage_admin after policy statements (%v)", err)
	}
	// On its own tables postgres renames as ever.
	mustExec(t, conn, "create table public.t (id int)")
	mustExec(t, conn, "create policy p on public.t using (true)")
	mustExec(t, conn, "alter policy p on public.t rename to q")
}

// The extensions schema with uuid-ossp and pgcrypto, on the role's search
// path, which RESET ALL (as a migration session does) keeps.
func TestExtensionsOnTheSearchPath(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	mustExec(t, conn, "reset all")
	mustExec(t, conn, "create table public.slots (id uuid primary key default uuid_generate_v4(), token bytea default gen_random_bytes(8))")
	mustExec(t, conn, "insert into public.slots default values")
	var owner string
	if err := conn.QueryRow(context.Background(), "select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'extensions'").Scan(&owner); err != nil || owner != "postgres" {
		t.Errorf("extensions schema owner %q %v", owner, err)
	}
}

func TestPublicationTimeoutsAndReservedRoles(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	conn := connect(t, url)
	ctx := context.Background()
	var n int
	if err := conn.QueryRow(ctx, "select count(*) from pg_publication where pubname = 'supabase_realtime'").Scan(&n); err != nil || n != 1 {
		t.Errorf("supabase_realtime publication: %d %v", n, err)
	}
	var timeout string
	if err := conn.QueryRow(ctx, "show statement_timeout").Scan(&timeout); err != nil || timeout != pgcluster.DatabaseStatementTimeout {
		t.Errorf("database statement_timeout %q %v", timeout, err)
	}
	for role, want := range map[string]string{"anon": "statement_timeout=3s", "authenticated": "statement_timeout=8s", "authenticator": "statement_timeout=8s"} {
		var settings []string
		err := conn.QueryRow(ctx, `select setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
			where r.rolname = $1 and s.setdatabase = 0`, role).Scan(&settings)
		if err != nil || !strings.Contains(strings.Join(settings, ","), want) {
			t.Errorf("%s settings %v %v, want %s", role, settings, err, want)
		}
	}
	// Reserved roles (supautils): no attribute change, no drop; their settings
	// may change (the * entries of supautils.reserved_roles).
	for _, sql := range []string{"alter role anon login", "alter role service_role nobypassrls", "alter role authenticator password 'x'"} {
		if got := sqlState(t, conn, sql); got != "42501" {
			t.Errorf("%s answered %q, want 42501", sql, got)
		}
	}
	if got := sqlState(t, conn, "drop role anon"); got == "" {
		t.Error("drop role anon succeeded")
	}
	mustExec(t, conn, "alter role authenticated set statement_timeout = '20s'")
	mustExec(t, conn, "alter role authenticated set statement_timeout = '8s'")
}
