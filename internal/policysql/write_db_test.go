package policysql

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"

	"github.com/jackc/pgx/v5"
)

// TestHostileNames creates, alters, renames, reads and drops a policy whose
// schema, table, policy and role names contain quotes, dots, spaces and SQL.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	const (
		schema = `we"ird.schema`
		table  = `my table.v2; DROP TABLE x`
		name   = `a "quoted" name.with.dots/and slash`
		role   = `role with "space"`
	)
	db := pgtest.NewDB(t, fmt.Sprintf(`CREATE SCHEMA %[1]s; CREATE TABLE %[1]s.%[2]s (owner text); DO $$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'role with "space"') THEN CREATE ROLE %[3]s; END IF; END $$;`,
		`"we""ird.schema"`, `"my table.v2; DROP TABLE x"`, `"role with ""space"""`)).Pool
	ctx := ctxT(t)
	p := Policy{Schema: schema, Table: table, Name: name, Command: CommandUpdate, Permissive: false,
		Roles: []string{role, "anon"}, Using: "owner = 'o''brien'", WithCheck: `owner <> '"; --'`}
	create(t, db, p)
	got := read(t, db, schema, table, name)
	if got == nil || got.Permissive || got.Command != CommandUpdate || !slices.Equal(got.Roles, []string{"anon", role}) {
		t.Fatalf("read back %+v", got)
	}
	if got.Using != "(owner = 'o''brien'::text)" || got.WithCheck != `(owner <> '"; --'::text)` {
		t.Errorf("expressions = %q / %q", got.Using, got.WithCheck)
	}
	const renamed = `renamed "again".x`
	err := WithTableWrite(ctx, db, schema, table, func(tx pgx.Tx) error {
		alter, err := AlterSQL(schema, table, name, Alter{SetRoles: true, Roles: nil, Using: "owner IS NOT NULL"})
		if err != nil {
			return err
		}
		rename, err := RenameSQL(schema, table, name, renamed)
		if err != nil {
			return err
		}
		if err := ExecDDL(ctx, tx, alter); err != nil {
			return err
		}
		return ExecDDL(ctx, tx, rename)
	})
	if err != nil {
		t.Fatal(err)
	}
	if read(t, db, schema, table, name) != nil {
		t.Error("old name still exists after rename")
	}
	got = read(t, db, schema, table, renamed)
	if got == nil || !slices.Equal(got.Roles, []string{"public"}) || got.Using != "(owner IS NOT NULL)" || got.WithCheck != `(owner <> '"; --'::text)` {
		t.Fatalf("after alter and rename: %+v", got)
	}
	drop, _ := DropSQL(schema, table, renamed)
	for i := 0; i < 2; i++ { // IF EXISTS: dropping twice is fine
		if err := WithTableWrite(ctx, db, schema, table, func(tx pgx.Tx) error { return ExecDDL(ctx, tx, drop) }); err != nil {
			t.Fatalf("drop %d: %v", i, err)
		}
	}
	if read(t, db, schema, table, renamed) != nil {
		t.Error("policy still exists after drop")
	}
}

// TestExecDDLRefusesSecondStatement shows the last line of defence: even
// SQL that got past CheckExpression cannot run a second statement.
func TestExecDDLRefusesSecondStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	err := WithTableWrite(ctxT(t), db, "public", "bookings", func(tx pgx.Tx) error {
		return ExecDDL(ctxT(t), tx, "CREATE POLICY p ON public.bookings USING (true); DROP TABLE public.bookings")
	})
	if err == nil || !strings.Contains(err.Error(), "multiple commands") {
		t.Fatalf("multi-statement DDL: %v", err)
	}
	if _, err := LookupTable(ctxT(t), db, "public", "bookings"); err != nil {
		t.Fatalf("bookings gone: %v", err)
	}
}

// TestParallelWritesOnOneTable runs twenty writers on one table at once, as
// Terraform's parallelism does; every one must succeed.
func TestParallelWritesOnOneTable(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := Policy{Schema: "public", Table: "bookings", Name: fmt.Sprintf("p%02d", i), Command: CommandSelect, Permissive: true,
				Roles: []string{"authenticated"}, Using: fmt.Sprintf("mentor_id = auth.uid() AND %d = %d", i, i)}
			sql, _ := CreateSQL(p)
			errs <- WithTableWrite(ctx, db, "public", "bookings", func(tx pgx.Tx) error {
				// Enabling RLS updates the table's pg_class row, the classic
				// source of "tuple concurrently updated".
				if err := ExecDDL(ctx, tx, "ALTER TABLE public.bookings ENABLE ROW LEVEL SECURITY"); err != nil {
					return err
				}
				return ExecDDL(ctx, tx, sql)
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	all, err := ReadPolicies(ctx, db, "public", "bookings")
	if err != nil || len(all) != 20 {
		t.Fatalf("%d policies, %v; want 20", len(all), err)
	}
}

// TestAdvisoryLockSerialisesAcrossSessions holds the table's advisory lock
// from another session, as a second terraform apply would: a write waits,
// times out with an explanation, and succeeds once the lock is released.
func TestAdvisoryLockSerialisesAcrossSessions(t *testing.T) {
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	ctx := ctxT(t)
	other, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pgtest.Rollback(t, other)
	if _, err := other.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", AdvisoryKey("public", "bookings")); err != nil {
		t.Fatal(err)
	}
	old := WriteLockTimeout
	WriteLockTimeout = 300 * time.Millisecond
	defer func() { WriteLockTimeout = old }()
	write := func() error {
		return WithTableWrite(ctx, db, "public", "bookings", func(tx pgx.Tx) error {
			return ExecDDL(ctx, tx, "ALTER TABLE public.bookings ENABLE ROW LEVEL SECURITY")
		})
	}
	// lock_not_available (55P03) is the server's answer once lock_timeout
	// has run out waiting: the write waited for the other session.
	err = write()
	if !IsLockTimeout(err) || !strings.Contains(err.Error(), "another apply may be changing it") || !strings.Contains(err.Error(), "retry") {
		t.Fatalf("write while another session holds the lock: %v", err)
	}
	// A different table is not blocked.
	if _, err := db.Exec(ctx, "CREATE TABLE public.other (id int)"); err != nil {
		t.Fatal(err)
	}
	if err := WithTableWrite(ctx, db, "public", "other", func(tx pgx.Tx) error { return nil }); err != nil {
		t.Fatalf("other table blocked: %v", err)
	}
	if err := other.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := write(); err != nil {
		t.Fatalf("write after release: %v", err)
	}
	tbl, err := LookupTable(ctx, db, "public", "bookings")
	if err != nil || !tbl.RowSecurity {
		t.Fatalf("RLS not enabled after write: %+v, %v", tbl, err)
	}
}

func TestTableRLSAndHints(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	ctx := ctxT(t)
	for _, want := range []struct{ enabled, forced bool }{{true, true}, {true, false}, {false, false}} {
		sql, _ := TableRLSSQL("public", "bookings", want.enabled, want.forced)
		if err := WithTableWrite(ctx, db, "public", "bookings", func(tx pgx.Tx) error { return ExecDDL(ctx, tx, sql) }); err != nil {
			t.Fatal(err)
		}
		got, err := LookupTable(ctx, db, "public", "bookings")
		if err != nil || got.RowSecurity != want.enabled || got.ForceRLS != want.forced {
			t.Errorf("after %q: %+v, %v", sql, got, err)
		}
	}
	p := Policy{Schema: "public", Table: "bookings", Name: "p", Command: CommandAll, Roles: []string{"no_such_role"}, Using: "true"}
	sql, _ := CreateSQL(p)
	err := WithTableWrite(ctx, db, "public", "bookings", func(tx pgx.Tx) error { return ExecDDL(ctx, tx, sql) })
	if err == nil || !strings.Contains(err.Error(), `role "no_such_role" does not exist`) || !strings.Contains(err.Error(), "check that every role in roles exists") {
		t.Errorf("unknown role: %v", err)
	}
}
