package rlspolicy_test

import (
	"fmt"
	"os/exec"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// TestAccRLSPolicy_tableCreatedInSameApply is the documented recipe for a
// table that another resource creates in the same apply (a migration, here
// a psql provisioner): with table taken from a value known only after that
// resource, the table check and normalisation wait for apply instead of
// failing the plan, and the next plan is clean.
func TestAccRLSPolicy_tableCreatedInSameApply(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		t.Fatal("psql is needed to create the table during apply")
	}
	db := newDB(t, "")
	cfg := acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf(`
resource "terraform_data" "bookings_table" {
  input = "bookings"
  provisioner "local-exec" {
    command     = "psql \"$DATABASE_URL\" -q -v ON_ERROR_STOP=1 -c \"$SQL\""
    environment = { DATABASE_URL = %s, SQL = %s }
  }
}
resource "officehours_table_rls" "bookings" {
  table = terraform_data.bookings_table.output
}
`, hcl(db.URL), hcl(officeHoursSchema)) +
		policyConfig("view_own", "officehours_table_rls.bookings.table", "Users can view own bookings",
			`command = "SELECT"`, `roles = ["authenticated"]`, "using = "+hcl(viewOwn))
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(viewAddr, tfjsonpath.New("using_normalized")),
			}},
			Check: checkDB(func() error {
				if p := db.policy(t, "public", "bookings", "Users can view own bookings"); p == nil || p.Using != storedView {
					return fmt.Errorf("policy after apply: %+v", p)
				}
				return nil
			}),
		}, {
			Config:           cfg,
			ConfigPlanChecks: emptyPlan(),
		}},
	})
}
