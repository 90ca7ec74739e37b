package policysql

import (
	"strings"
	"testing"
)

func TestCreateSQL(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Policy
		want string
		err  string
	}{
		{
			name: "select for authenticated",
			p: Policy{Schema: "public", Table: "bookings", Name: "Users can view own bookings", Command: CommandSelect, Permissive: true,
				Roles: []string{"authenticated"}, Using: "mentor_id = auth.uid() OR mentee_id = auth.uid()"},
			want: `CREATE POLICY "Users can view own bookings" ON "public"."bookings" AS PERMISSIVE FOR SELECT TO "authenticated" USING (mentor_id = auth.uid() OR mentee_id = auth.uid())`,
		},
		{
			name: "insert with check",
			p: Policy{Schema: "public", Table: "bookings", Name: "Mentees can create bookings", Command: CommandInsert, Permissive: true,
				Roles: []string{"authenticated"}, WithCheck: "mentee_id = auth.uid()"},
			want: `CREATE POLICY "Mentees can create bookings" ON "public"."bookings" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (mentee_id = auth.uid())`,
		},
		{
			name: "restrictive all, public, both clauses, hostile names",
			p: Policy{Schema: `s"; DROP`, Table: "t.x", Name: `p"q`, Command: CommandAll,
				Using: "true", WithCheck: "false"},
			want: `CREATE POLICY "p""q" ON "s""; DROP"."t.x" AS RESTRICTIVE FOR ALL TO PUBLIC USING (true) WITH CHECK (false)`,
		},
		{
			name: "trailing line comment is ended before the parenthesis",
			p:    Policy{Schema: "public", Table: "t", Name: "p", Command: CommandUpdate, Permissive: true, Roles: []string{"PUBLIC", "anon"}, Using: "a = 1 -- owner"},
			want: "CREATE POLICY \"p\" ON \"public\".\"t\" AS PERMISSIVE FOR UPDATE TO PUBLIC, \"anon\" USING (a = 1 -- owner\n)",
		},
		{name: "with check on select", p: Policy{Schema: "s", Table: "t", Name: "p", Command: CommandSelect, WithCheck: "true"}, err: "WITH CHECK expression is meaningless for SELECT"},
		{name: "with check on delete", p: Policy{Schema: "s", Table: "t", Name: "p", Command: CommandDelete, WithCheck: "true"}, err: "meaningless for DELETE"},
		{name: "using on insert", p: Policy{Schema: "s", Table: "t", Name: "p", Command: CommandInsert, Using: "true"}, err: "USING expression is meaningless for INSERT"},
		{name: "unknown command", p: Policy{Schema: "s", Table: "t", Name: "p", Command: "TRUNCATE"}, err: `command "TRUNCATE" is not one of`},
		{name: "escaping expression", p: Policy{Schema: "s", Table: "t", Name: "p", Command: CommandAll, Using: "true); DROP TABLE t; --"}, err: "USING expression: unbalanced"},
		{name: "empty name", p: Policy{Schema: "s", Table: "t", Command: CommandAll}, err: "policy name: identifier is empty"},
		{name: "NUL in table", p: Policy{Schema: "s", Table: "t\x00", Name: "p", Command: CommandAll}, err: "table: identifier"},
		{name: "bad role", p: Policy{Schema: "s", Table: "t", Name: "p", Command: CommandAll, Roles: []string{""}}, err: "role: identifier is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CreateSQL(tc.p)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q (sql %q)", err, tc.err, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("CreateSQL =\n%q, %v\nwant\n%q", got, err, tc.want)
			}
		})
	}
}

func TestAlterRenameDropSQL(t *testing.T) {
	for _, tc := range []struct {
		a    Alter
		want string
	}{
		{Alter{}, ""},
		{Alter{SetRoles: true, Roles: []string{"anon", "authenticated"}}, `ALTER POLICY "my pol" ON "public"."bookings" TO "anon", "authenticated"`},
		{Alter{SetRoles: true}, `ALTER POLICY "my pol" ON "public"."bookings" TO PUBLIC`},
		{Alter{Using: "a", WithCheck: "b"}, `ALTER POLICY "my pol" ON "public"."bookings" USING (a) WITH CHECK (b)`},
		{Alter{WithCheck: "b"}, `ALTER POLICY "my pol" ON "public"."bookings" WITH CHECK (b)`},
	} {
		got, err := AlterSQL("public", "bookings", "my pol", tc.a)
		if err != nil || got != tc.want {
			t.Errorf("AlterSQL(%+v) = %q, %v; want %q", tc.a, got, err, tc.want)
		}
	}
	if _, err := AlterSQL("public", "bookings", "p", Alter{Using: "x)"}); err == nil {
		t.Error("AlterSQL accepted an expression that closes our parenthesis")
	}
	if got, _ := RenameSQL("public", "bookings", "old", `new "one"`); got != `ALTER POLICY "old" ON "public"."bookings" RENAME TO "new ""one"""` {
		t.Errorf("RenameSQL = %q", got)
	}
	if _, err := RenameSQL("public", "bookings", "old", ""); err == nil || !strings.Contains(err.Error(), "new policy name") {
		t.Errorf("RenameSQL to empty: %v", err)
	}
	if got, _ := DropSQL("public", "bookings", "a.b"); got != `DROP POLICY IF EXISTS "a.b" ON "public"."bookings"` {
		t.Errorf("DropSQL = %q", got)
	}
	for _, tc := range []struct {
		enabled, forced bool
		want            string
	}{
		{true, false, `ALTER TABLE "public"."bookings" ENABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY`},
		{true, true, `ALTER TABLE "public"."bookings" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`},
		{false, false, `ALTER TABLE "public"."bookings" DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY`},
	} {
		if got, _ := TableRLSSQL("public", "bookings", tc.enabled, tc.forced); got != tc.want {
			t.Errorf("TableRLSSQL(%v, %v) = %q", tc.enabled, tc.forced, got)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		a, b  []string
		equal bool
	}{
		{nil, []string{"public"}, true},
		{[]string{}, []string{"PUBLIC"}, true},
		{[]string{"b", "a"}, []string{"a", "b", "a"}, true},
		{[]string{"anon"}, []string{"Anon"}, false},
		{[]string{"anon"}, nil, false},
		{[]string{"anon", "public"}, []string{"anon"}, false},
	} {
		if got := RolesEqual(tc.a, tc.b); got != tc.equal {
			t.Errorf("RolesEqual(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestCommandFromCatalog(t *testing.T) {
	for polcmd, want := range map[string]Command{"*": CommandAll, "r": CommandSelect, "a": CommandInsert, "w": CommandUpdate, "d": CommandDelete} {
		if got, err := commandFromCatalog(polcmd); err != nil || got != want {
			t.Errorf("commandFromCatalog(%q) = %q, %v", polcmd, got, err)
		}
	}
	if _, err := commandFromCatalog("x"); err == nil {
		t.Error("unknown polcmd accepted")
	}
}
