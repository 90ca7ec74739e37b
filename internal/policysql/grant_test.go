package policysql

import (
	"strings"
	"testing"
)

func TestGrantSQL(t *testing.T) {
	for _, tc := range []struct {
		name    string
		grant   Grant
		want    []string
		wantErr string
	}{
		{"table privileges", Grant{Schema: "public", Table: "bookings", Role: "authenticated", Privileges: []string{"INSERT", "SELECT"}},
			[]string{`REVOKE ALL ON TABLE "public"."bookings" FROM "authenticated"`, `GRANT INSERT, SELECT ON TABLE "public"."bookings" TO "authenticated"`}, ""},
		{"columns", Grant{Schema: "public", Table: "users", Role: "authenticated", Privileges: []string{"SELECT"},
			Columns: map[string][]string{"UPDATE": {"display name", "bio"}, "INSERT": {"id"}}},
			[]string{`REVOKE ALL ON TABLE "public"."users" FROM "authenticated"`, `GRANT SELECT ON TABLE "public"."users" TO "authenticated"`,
				`GRANT INSERT ("id") ON TABLE "public"."users" TO "authenticated"`, `GRANT UPDATE ("display name", "bio") ON TABLE "public"."users" TO "authenticated"`}, ""},
		{"nothing: revoke only", Grant{Schema: "public", Table: "t", Role: "PUBLIC"},
			[]string{`REVOKE ALL ON TABLE "public"."t" FROM PUBLIC`}, ""},
		{"odd names stay quoted", Grant{Schema: `a"b`, Table: "t; drop", Role: `r"x`, Privileges: []string{"SELECT"}},
			[]string{`REVOKE ALL ON TABLE "a""b"."t; drop" FROM "r""x"`, `GRANT SELECT ON TABLE "a""b"."t; drop" TO "r""x"`}, ""},
		{"DELETE on columns", Grant{Schema: "public", Table: "t", Role: "anon", Columns: map[string][]string{"DELETE": {"id"}}}, nil, "cannot be granted on columns"},
		{"not a privilege", Grant{Schema: "public", Table: "t", Role: "anon", Privileges: []string{"ALL"}}, nil, "not a table privilege"},
		{"no columns listed", Grant{Schema: "public", Table: "t", Role: "anon", Columns: map[string][]string{"SELECT": {}}}, nil, "on no columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := GrantSQL(tc.grant)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}
