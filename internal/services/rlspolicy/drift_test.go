package rlspolicy_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// TestAccRLSPolicy_dashboardDrift changes the database out of band, as the
// Supabase dashboard would, and expects each change in the next plan and
// undone by the apply.
func TestAccRLSPolicy_dashboardDrift(t *testing.T) {
	db := newDB(t, officeHoursSchema)
	cfg := officeHoursConfig(db, viewOwn, createOwn)
	restored := func() error {
		v := db.policy(t, "public", "bookings", "Users can view own bookings")
		if v == nil || v.Using != storedView || !slices.Equal(v.Roles, []string{"authenticated"}) {
			return fmt.Errorf("view policy not restored: %+v", v)
		}
		return nil
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg},
			{ // an expression edited in the dashboard
				PreConfig: func() {
					db.Exec(t, `ALTER POLICY "Users can view own bookings" ON public.bookings USING (true)`)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(viewAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(viewAddr, tfjsonpath.New("using"), knownvalue.StringExact(viewOwn)),
					plancheck.ExpectKnownValue(viewAddr, tfjsonpath.New("using_normalized"), knownvalue.StringExact(storedView)),
					plancheck.ExpectResourceAction(createAddr, plancheck.ResourceActionNoop),
				}},
				Check: checkDB(restored),
			},
			{ // a subtle edit: same shape, one operator changed
				PreConfig: func() {
					db.Exec(t, `ALTER POLICY "Users can view own bookings" ON public.bookings USING (mentor_id = auth.uid() AND mentee_id = auth.uid())`)
				},
				Config:           cfg,
				ConfigPlanChecks: expectAction(viewAddr, plancheck.ResourceActionUpdate),
				Check:            checkDB(restored),
			},
			{ // roles widened in the dashboard
				PreConfig: func() {
					db.Exec(t, `ALTER POLICY "Users can view own bookings" ON public.bookings TO authenticated, anon`)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(viewAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(viewAddr, tfjsonpath.New("roles"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("authenticated")})),
				}},
				Check: checkDB(restored),
			},
			{ // a policy dropped in the dashboard is planned for re-creation
				PreConfig: func() {
					db.Exec(t, `DROP POLICY "Mentees can create bookings" ON public.bookings`)
				},
				Config:           cfg,
				ConfigPlanChecks: expectAction(createAddr, plancheck.ResourceActionCreate),
				Check: checkDB(func() error {
					if c := db.policy(t, "public", "bookings", "Mentees can create bookings"); c == nil || c.WithCheck != storedCreate {
						return fmt.Errorf("create policy not re-created: %+v", c)
					}
					return nil
				}),
			},
			{ // a policy re-created in the dashboard as RESTRICTIVE must be replaced
				PreConfig: func() {
					db.Exec(t, `DROP POLICY "Users can view own bookings" ON public.bookings;
CREATE POLICY "Users can view own bookings" ON public.bookings AS RESTRICTIVE FOR SELECT TO authenticated USING (mentor_id = auth.uid() OR mentee_id = auth.uid())`)
				},
				Config:           cfg,
				ConfigPlanChecks: expectAction(viewAddr, plancheck.ResourceActionReplace),
				Check: checkDB(func() error {
					if v := db.policy(t, "public", "bookings", "Users can view own bookings"); v == nil || !v.Permissive {
						return fmt.Errorf("view policy not permissive again: %+v", v)
					}
					return nil
				}),
			},
			{ // row level security disabled in the dashboard
				PreConfig: func() {
					db.Exec(t, `ALTER TABLE public.bookings DISABLE ROW LEVEL SECURITY`)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_table_rls.bookings", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("officehours_table_rls.bookings", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}},
			},
		},
	})
}
