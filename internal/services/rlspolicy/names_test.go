package rlspolicy_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// Names that break naive quoting or naive import-ID splitting.
const (
	oddSchema = `Office "Hours".v2`
	oddTable  = `booking.items; DROP TABLE users; --`
	oddPolicy = `Mentee's "own" rows / v1.0 100%`
	oddRole   = `Support Desk.eu`
)

// TestAccRLSPolicy_oddNames manages a policy whose schema, table, name and
// role contain quotes, dots, spaces, a slash, a percent sign and SQL, then
// imports it by ID and replaces it when a clause is removed.
func TestAccRLSPolicy_oddNames(t *testing.T) {
	db := newDB(t, `CREATE SCHEMA "Office ""Hours"".v2";
CREATE TABLE "Office ""Hours"".v2"."booking.items; DROP TABLE users; --" (owner uuid, note text);
CREATE TABLE public.users (id int);
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'Support Desk.eu') THEN CREATE ROLE "Support Desk.eu"; END IF; END $$;`)
	const addr = "officehours_rls_policy.odd"
	config := func(withCheck bool) string {
		attrs := []string{"schema = " + hcl(oddSchema), "roles = [" + hcl(oddRole) + `, "authenticated"]`,
			`using = "owner = auth.uid() AND note <> 'it''s; a \"test\")'"`}
		if withCheck {
			attrs = append(attrs, `with_check = "note IS NOT NULL"`)
		}
		return acctest.ProviderBlock(nil, db.URL) + policyConfig("odd", hcl(oddTable), oddPolicy, attrs...)
	}
	wantID := `Office "Hours".v2/booking.items; DROP TABLE users; --/Mentee's "own" rows %2F v1.0 100%25`
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if left := db.policyNames(t, oddSchema, oddTable); len(left) != 0 {
				return fmt.Errorf("left after destroy: %q", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(wantID)),
				},
				Check: checkDB(func() error {
					p := db.policy(t, oddSchema, oddTable, oddPolicy)
					if p == nil || !slices.Equal(p.Roles, []string{oddRole, "authenticated"}) && !slices.Equal(p.Roles, []string{"authenticated", oddRole}) ||
						!strings.Contains(p.Using, `'it''s; a "test")'::text`) {
						return fmt.Errorf("policy in the database: %+v", p)
					}
					if db.policy(t, "public", "users", oddPolicy) != nil || len(db.policyNames(t, "public", "users")) != 0 {
						return fmt.Errorf("something landed on public.users")
					}
					return nil
				}),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateId:           wantID,
				ImportStateVerifyIgnore: []string{"using", "with_check"},
				Config:                  config(true),
			},
			{ // an over-escaped ID works too
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateId:           strings.ReplaceAll(wantID, ".", "%2E"),
				ImportStateVerifyIgnore: []string{"using", "with_check"},
				Config:                  config(true),
			},
			{ // ALTER POLICY cannot drop a clause: removing with_check replaces the policy
				Config: config(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				Check: checkDB(func() error {
					if p := db.policy(t, oddSchema, oddTable, oddPolicy); p == nil || p.WithCheck != "" {
						return fmt.Errorf("with_check still there: %+v", p)
					}
					return nil
				}),
			},
			{
				ResourceName: addr, ImportState: true,
				ImportStateId: "public/only-two-parts",
				ExpectError:   regexp.MustCompile(`has 2 part\(s\), expected 3 in the form\s+"schema/table/policy"`),
				Config:        config(false),
			},
		},
	})
}
