package rlspolicy_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// manyPolicies is n policies on bookings, created with count so Terraform
// applies them in parallel (10 at a time by default).
func manyPolicies(db *testDB, n int) string {
	return acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf(`
resource "officehours_table_rls" "bookings" {
  table = "bookings"
}
resource "officehours_rls_policy" "many" {
  count   = %d
  table   = officehours_table_rls.bookings.table
  name    = format("policy %%03d", count.index)
  command = "SELECT"
  roles   = ["authenticated"]
  using   = "mentor_id = auth.uid() AND id %% 1000 <> ${count.index}"
}
`, n)
}

// TestAccRLSPolicy_twentyOnOneTable applies twenty policies on one table in
// one apply with Terraform's default parallelism: catalog writes must not
// collide, and the next plan must be empty.
func TestAccRLSPolicy_twentyOnOneTable(t *testing.T) {
	db := newDB(t, officeHoursSchema)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: manyPolicies(db, 20),
			Check: checkDB(func() error {
				if got := db.policyNames(t, "public", "bookings"); len(got) != 20 {
					return fmt.Errorf("%d policies on bookings, want 20: %q", len(got), got)
				}
				return nil
			}),
		}},
	})
}

// TestAccRLSPolicy_planErrors proves mistakes fail the plan, before any
// change, with a message that names the problem.
func TestAccRLSPolicy_planErrors(t *testing.T) {
	db := newDB(t, officeHoursSchema+`CREATE VIEW public.bookings_view AS SELECT * FROM public.bookings;`)
	step := func(want string, attrs ...string) resource.TestStep {
		table := hcl("bookings")
		if len(attrs) > 0 && attrs[0][0] == '!' {
			table, attrs = hcl(attrs[0][1:]), attrs[1:]
		}
		return resource.TestStep{
			Config:   acctest.ProviderBlock(nil, db.URL) + policyConfig("p", table, "p", attrs...),
			PlanOnly: true,
			// Terraform wraps diagnostics: any space may be a line break.
			ExpectError: regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`)),
		}
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			step(`with_check is meaningless for SELECT policies[\s\S]*move the expression to using`,
				`command = "SELECT"`, `using = "true"`, `with_check = "true"`),
			step(`with_check is meaningless for DELETE policies`, `command = "DELETE"`, `with_check = "true"`),
			step(`using is meaningless for INSERT policies[\s\S]*move the expression to with_check`,
				`command = "INSERT"`, `using = "true"`),
			step(`Table does not exist[\s\S]*table "nope" in schema "public"`, "!nope", `using = "true"`),
			step(`Not a table[\s\S]*public/bookings_view, which is a\s+view`, "!bookings_view", `using = "true"`),
			step(`unbalanced "\)"[\s\S]*cannot close parentheses`, `using = "true); DROP TABLE users; --"`),
			step(`write a single SQL expression`, `using = "true; DROP TABLE users"`),
			step(`column "no_such_column" does not exist[\s\S]*does not exist on the table`, `using = "no_such_column = 1"`),
			step(`role "nobody" does not exist`, `roles = ["nobody"]`, `using = "true"`),
			step(`role "nobody" does not exist`, `roles = ["nobody"]`), // checked without expressions too
			step(`value must be one of`, `command = "select"`),
			step(`Invalid PostgreSQL name[\s\S]*63 bytes`, "schema = "+hcl(strings.Repeat("s", 64))),
			{ // made in the dashboard, then configured: the apply fails and says to import it
				PreConfig:   func() { db.Exec(t, `CREATE POLICY "taken" ON public.bookings USING (true)`) },
				Config:      acctest.ProviderBlock(nil, db.URL) + policyConfig("p", hcl("bookings"), "taken", `using = "true"`),
				ExpectError: regexp.MustCompile(`Cannot create policy[\s\S]*already exists[\s\S]*import it \(terraform\s+import\)`),
			},
		},
	})
	if got := db.policyNames(t, "public", "bookings"); len(got) != 1 || got[0] != "taken" {
		t.Fatalf("failed plans changed the database: policies %q, want only the dashboard-made \"taken\"", got)
	}
}
