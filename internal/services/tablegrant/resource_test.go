package tablegrant_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

const (
	addr   = "officehours_table_grant.profiles"
	schema = `CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), display_name text, role text);`
)

func config(db *pgtest.DB, body string) string {
	return acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf(`
resource "officehours_table_grant" "profiles" {
  table = "profiles"
  role  = "authenticated"
%s
}
`, body)
}

// held reads what authenticated holds on profiles, the provider's way.
func held(t *testing.T, db *pgtest.DB) policysql.Grant {
	t.Helper()
	g, err := policysql.ReadGrant(context.Background(), db.Pool, "public", "profiles", "authenticated")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func expectHeld(t *testing.T, db *pgtest.DB, privs []string, update []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g := held(t, db)
		if !slices.Equal(g.Privileges, privs) || !slices.Equal(g.Columns["UPDATE"], update) {
			return fmt.Errorf("authenticated holds %v and %v, want %v and UPDATE on %v", g.Privileges, g.Columns, privs, update)
		}
		return nil
	}
}

func TestAccTableGrant_lifecycleImportAndDrift(t *testing.T) {
	db := pgtest.NewDB(t, schema)
	read := `  privileges = ["SELECT"]`
	edit := `  privileges        = ["SELECT"]
  column_privileges = { UPDATE = ["display_name"] }`
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if g := held(t, db); g.Privileges != nil || g.Columns != nil {
				return fmt.Errorf("after destroy authenticated still holds %+v", g)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // the framework also checks the next plan is empty
				Config: config(db, read),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("public/profiles/authenticated")),
				},
				Check: expectHeld(t, db, []string{"SELECT"}, nil),
			},
			{ // a column privilege added in place
				Config: config(db, edit), ConfigPlanChecks: update,
				Check: expectHeld(t, db, []string{"SELECT"}, []string{"display_name"}),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateId: "public/profiles/authenticated", Config: config(db, edit),
			},
			{ // granted more in the dashboard: the plan takes it back
				PreConfig:        func() { db.Exec(t, "GRANT DELETE, UPDATE ON public.profiles TO authenticated") },
				Config:           config(db, edit),
				ConfigPlanChecks: update,
				Check:            expectHeld(t, db, []string{"SELECT"}, []string{"display_name"}),
			},
			{ // revoked in the dashboard: the plan grants it again
				PreConfig:        func() { db.Exec(t, "REVOKE ALL ON public.profiles FROM authenticated") },
				Config:           config(db, edit),
				ConfigPlanChecks: update,
				Check:            expectHeld(t, db, []string{"SELECT"}, []string{"display_name"}),
			},
		},
	})
}

// Bad input is refused before anything is granted, naming what to fix.
func TestAccTableGrant_badInput(t *testing.T) {
	db := pgtest.NewDB(t, schema)
	for _, tc := range []struct {
		name, body, role, table, want string
	}{
		{"not a privilege", `  privileges = ["ALL"]`, "authenticated", "profiles", `(?s)privileges.*value must be one of`},
		{"row privilege on columns", `  privileges = []
  column_privileges = { DELETE = ["id"] }`, "authenticated", "profiles", `(?s)column_privileges.*value must be one of`},
		{"no columns", `  privileges = []
  column_privileges = { UPDATE = [] }`, "authenticated", "profiles", `(?s)column_privileges.*at least 1`},
		{"unknown role", `  privileges = ["SELECT"]`, "authenticator_typo", "profiles", `(?s)Role does not exist.*"authenticator_typo"`},
		{"missing table", `  privileges = ["SELECT"]`, "authenticated", "profile", `(?s)Table does not exist.*"profile"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf("resource \"officehours_table_grant\" \"x\" {\n  table = %q\n  role = %q\n%s\n}\n", tc.table, tc.role, tc.body)
			acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{Config: cfg, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)}}})
		})
	}
	if g := held(t, db); g.Privileges != nil || g.Columns != nil {
		t.Fatalf("bad input granted %+v", g)
	}
}
