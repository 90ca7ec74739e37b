package tablegrant

import (
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

func TestExposed(t *testing.T) {
	open := &policysql.Table{Kind: "r"}
	guarded := &policysql.Table{Kind: "r", RowSecurity: true}
	view := &policysql.Table{Kind: "v"}
	sel := []string{"SELECT"}
	for _, tc := range []struct {
		name  string
		g     policysql.Grant
		table *policysql.Table
		want  bool
	}{
		{"anon on an open public table", policysql.Grant{Schema: "public", Role: "anon", Privileges: sel}, open, true},
		{"authenticated, columns only", policysql.Grant{Schema: "public", Role: "authenticated", Columns: map[string][]string{"UPDATE": {"bio"}}}, open, true},
		{"PUBLIC", policysql.Grant{Schema: "public", Role: "PUBLIC", Privileges: sel}, open, true},
		{"row level security on", policysql.Grant{Schema: "public", Role: "anon", Privileges: sel}, guarded, false},
		{"service_role bypasses RLS anyway", policysql.Grant{Schema: "public", Role: "service_role", Privileges: sel}, open, false},
		{"not the exposed schema", policysql.Grant{Schema: "internal", Role: "anon", Privileges: sel}, open, false},
		{"nothing granted", policysql.Grant{Schema: "public", Role: "anon"}, open, false},
		{"a view has no row level security of its own", policysql.Grant{Schema: "public", Role: "anon", Privileges: sel}, view, false},
	} {
		if got := exposed(tc.g, tc.table); got != tc.want {
			t.Errorf("%s: exposed = %v, want %v", tc.name, got, tc.want)
		}
	}
}
