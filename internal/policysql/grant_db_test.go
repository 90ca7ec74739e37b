package policysql

import (
	"context"
	"slices"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

// What GrantSQL writes, ReadGrant reads back the same; grants held through
// another role or given out of band show as they are.
func TestGrantRoundTrip(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	ctx := context.Background()
	apply := func(g Grant) {
		t.Helper()
		stmts, err := GrantSQL(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	read := func(role string) Grant {
		t.Helper()
		g, err := ReadGrant(ctx, db, "public", "users", role)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	if g := read("authenticated"); g.Privileges != nil || g.Columns != nil {
		t.Fatalf("a new table is granted %v and %v: the fixture still grants by default", g.Privileges, g.Columns)
	}
	apply(Grant{Schema: "public", Table: "users", Role: "authenticated", Privileges: []string{"SELECT", "UPDATE"}})
	if g := read("authenticated"); !slices.Equal(g.Privileges, []string{"SELECT", "UPDATE"}) || g.Columns != nil {
		t.Fatalf("read %+v", g)
	}
	apply(Grant{Schema: "public", Table: "users", Role: "anon", Columns: map[string][]string{"SELECT": {"role", "id"}}})
	if g := read("anon"); g.Privileges != nil || !slices.Equal(g.Columns["SELECT"], []string{"id", "role"}) || len(g.Columns) != 1 {
		t.Fatalf("read %+v", g)
	}
	// Authoritative: narrowing UPDATE to a column drops the table-level UPDATE.
	apply(Grant{Schema: "public", Table: "users", Role: "authenticated", Privileges: []string{"SELECT"}, Columns: map[string][]string{"UPDATE": {"role"}}})
	if g := read("authenticated"); !slices.Equal(g.Privileges, []string{"SELECT"}) || !slices.Equal(g.Columns["UPDATE"], []string{"role"}) {
		t.Fatalf("read %+v", g)
	}
	// Out of band, in the dashboard: one more table-level grant.
	if _, err := db.Exec(ctx, "GRANT DELETE ON public.users TO authenticated"); err != nil {
		t.Fatal(err)
	}
	if g := read("authenticated"); !slices.Equal(g.Privileges, []string{"DELETE", "SELECT"}) {
		t.Fatalf("read %+v", g)
	}
	apply(Grant{Schema: "public", Table: "users", Role: "PUBLIC", Privileges: []string{"SELECT"}})
	if g := read("public"); !slices.Equal(g.Privileges, []string{"SELECT"}) {
		t.Fatalf("PUBLIC read %+v", g)
	}
	apply(Grant{Schema: "public", Table: "users", Role: "authenticated"})
	if g := read("authenticated"); g.Privileges != nil || g.Columns != nil {
		t.Fatalf("after revoking all: %+v", g)
	}
	if _, err := ReadGrant(ctx, db, "public", "nope", "anon"); err == nil {
		t.Fatal("a missing table read without error")
	}
}
