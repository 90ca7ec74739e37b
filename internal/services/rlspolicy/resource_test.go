package rlspolicy_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

const (
	viewAddr   = "officehours_rls_policy.view_own"
	createAddr = "officehours_rls_policy.create_own"

	storedView   = "((mentor_id = auth.uid()) OR (mentee_id = auth.uid()))"
	storedCreate = "((mentee_id = auth.uid()) AND (EXISTS ( SELECT 1\n   FROM users\n  WHERE ((users.id = auth.uid()) AND (users.role = 'mentee'::text)))))"
)

func expectAction(addr string, a plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, a)}}
}

func emptyPlan() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// checkDB runs a database assertion as a Terraform check.
func checkDB(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// TestAccRLSPolicy_officeHours walks the CF Office Hours policies through
// create, a clean second plan, reformatting, in-place updates, rename,
// replacement, import and destroy, checking the catalog at each step.
func TestAccRLSPolicy_officeHours(t *testing.T) {
	db := newDB(t, officeHoursSchema)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if left := db.policyNames(t, "public", "bookings"); len(left) != 0 {
				return fmt.Errorf("policies left after destroy: %q", left)
			}
			t, err := policysql.LookupTable(context.Background(), db.Pool, "public", "bookings")
			if err != nil || !t.RowSecurity {
				return fmt.Errorf("destroy must leave row level security enabled: %+v, %w", t, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create; the framework also checks that the next plan is empty
				Config: officeHoursConfig(db, viewOwn, createOwn),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(viewAddr, tfjsonpath.New("id"), knownvalue.StringExact("public/bookings/Users can view own bookings")),
					statecheck.ExpectKnownValue(viewAddr, tfjsonpath.New("using"), knownvalue.StringExact(viewOwn)),
					statecheck.ExpectKnownValue(viewAddr, tfjsonpath.New("using_normalized"), knownvalue.StringExact(storedView)),
					statecheck.ExpectKnownValue(viewAddr, tfjsonpath.New("with_check_normalized"), knownvalue.Null()),
					statecheck.ExpectKnownValue(createAddr, tfjsonpath.New("with_check_normalized"), knownvalue.StringExact(storedCreate)),
					statecheck.ExpectKnownValue(createAddr, tfjsonpath.New("roles"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("authenticated")})),
					statecheck.ExpectKnownValue(createAddr, tfjsonpath.New("permissive"), knownvalue.Bool(true)),
				},
				Check: checkDB(func() error {
					v := db.policy(t, "public", "bookings", "Users can view own bookings")
					c := db.policy(t, "public", "bookings", "Mentees can create bookings")
					if v == nil || v.Command != policysql.CommandSelect || v.Using != storedView || v.WithCheck != "" || !slices.Equal(v.Roles, []string{"authenticated"}) {
						return fmt.Errorf("view policy in the database: %+v", v)
					}
					if c == nil || c.Command != policysql.CommandInsert || c.Using != "" || c.WithCheck != storedCreate {
						return fmt.Errorf("create policy in the database: %+v", c)
					}
					return nil
				}),
			},
			{ // the same expressions with other spacing, parentheses, case and a comment plan nothing
				Config: officeHoursConfig(db,
					"(mentor_id=auth.uid())\n   or (mentee_id = AUTH.UID()) -- either party",
					"((mentee_id = auth.uid()) and exists (select 1 from public.users where users.id = auth.uid() and users.role = 'mentee'::text))"),
				ConfigPlanChecks: emptyPlan(),
			},
			{ // roles and an expression change in place (ALTER POLICY), not by replacement
				Config: officeHoursConfig(db, "mentee_id = auth.uid()", createOwn) + `
resource "officehours_rls_policy" "mentors" {
  table = officehours_table_rls.bookings.table
  name  = "Mentors manage their bookings"
  roles = ["authenticated", "service_role"]
  using = "mentor_id = auth.uid()"
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(viewAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(viewAddr, tfjsonpath.New("using_normalized"), knownvalue.StringExact("(mentee_id = auth.uid())")),
					plancheck.ExpectResourceAction(createAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("officehours_rls_policy.mentors", plancheck.ResourceActionCreate),
				}},
				Check: checkDB(func() error {
					if v := db.policy(t, "public", "bookings", "Users can view own bookings"); v.Using != "(mentee_id = auth.uid())" {
						return fmt.Errorf("view policy not altered: %q", v.Using)
					}
					m := db.policy(t, "public", "bookings", "Mentors manage their bookings")
					if m == nil || m.Command != policysql.CommandAll || !slices.Equal(m.Roles, []string{"authenticated", "service_role"}) {
						return fmt.Errorf("mentors policy: %+v", m)
					}
					return nil
				}),
			},
			{ // roles change in place; rename in place; PUBLIC spelled in capitals
				Config: officeHoursConfig(db, "mentee_id = auth.uid()", createOwn) + `
resource "officehours_rls_policy" "mentors" {
  table = officehours_table_rls.bookings.table
  name  = "Mentors see their bookings"
  roles = ["PUBLIC"]
  using = "mentor_id = auth.uid()"
}`,
				ConfigPlanChecks: expectAction("officehours_rls_policy.mentors", plancheck.ResourceActionUpdate),
				Check: checkDB(func() error {
					if db.policy(t, "public", "bookings", "Mentors manage their bookings") != nil {
						return fmt.Errorf("old name still present")
					}
					m := db.policy(t, "public", "bookings", "Mentors see their bookings")
					if m == nil || !slices.Equal(m.Roles, []string{"public"}) {
						return fmt.Errorf("renamed policy: %+v", m)
					}
					return nil
				}),
			},
			{ // command and permissive cannot be altered: the policy is replaced
				Config: officeHoursConfig(db, "mentee_id = auth.uid()", createOwn) + `
resource "officehours_rls_policy" "mentors" {
  table      = officehours_table_rls.bookings.table
  name       = "Mentors see their bookings"
  command    = "SELECT"
  permissive = false
  using      = "mentor_id = auth.uid()"
}`,
				ConfigPlanChecks: expectAction("officehours_rls_policy.mentors", plancheck.ResourceActionReplace),
				Check: checkDB(func() error {
					m := db.policy(t, "public", "bookings", "Mentors see their bookings")
					if m == nil || m.Command != policysql.CommandSelect || m.Permissive {
						return fmt.Errorf("replaced policy: %+v", m)
					}
					return nil
				}),
			},
			{ // import by schema/table/name; the next plan is clean
				ResourceName: createAddr, ImportState: true, ImportStateVerify: true,
				ImportStateId: "public/bookings/Mentees can create bookings",
				// Import cannot know the text as written, only the server's form.
				ImportStateVerifyIgnore: []string{"with_check"},
				Config:                  officeHoursConfig(db, "mentee_id = auth.uid()", createOwn),
			},
		},
	})
}
