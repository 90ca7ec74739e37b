package rlspolicy_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

const avatars = "(storage.foldername(name))[1] = auth.uid()::text"

func storagePolicy(db *testDB, name, command, expr string) string {
	clause := "using = " + hcl(expr)
	if command == "INSERT" {
		clause = "with_check = " + hcl(expr)
	}
	return acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf(`
resource "officehours_rls_policy" "avatars" {
  schema  = "storage"
  table   = "objects"
  name    = %s
  command = %q
  roles   = ["authenticated"]
  %s
}
`, hcl(name), command, clause)
}

// storage.objects belongs to supabase_storage_admin; supautils lets postgres
// create, alter and drop its policies but not rename them. The policy of
// CF Office Hours' avatars: a user writes only under their own folder.
func TestAccRLSPolicy_onStorageObjects(t *testing.T) {
	db := newDB(t, "")
	own := "bucket_id = 'avatars' AND " + avatars
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if p := db.policy(t, "storage", "objects", "Avatars: own folder"); p != nil {
				return fmt.Errorf("policy left after destroy: %+v", p)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: storagePolicy(db, "Avatars: write own folder", "INSERT", avatars),
				Check: func(*terraform.State) error {
					if db.policy(t, "storage", "objects", "Avatars: write own folder") == nil {
						return fmt.Errorf("policy not created on storage.objects")
					}
					return nil
				},
			},
			{ // a new expression alters it in place
				Config:           storagePolicy(db, "Avatars: write own folder", "INSERT", own),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("officehours_rls_policy.avatars", plancheck.ResourceActionUpdate)}},
			},
			{ // a new name replaces it: a rename would be refused
				Config: storagePolicy(db, "Avatars: own folder", "INSERT", own),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_rls_policy.avatars", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error {
					if db.policy(t, "storage", "objects", "Avatars: write own folder") != nil || db.policy(t, "storage", "objects", "Avatars: own folder") == nil {
						return fmt.Errorf("the policy was not replaced under its new name")
					}
					return nil
				},
			},
		},
	})
}

// A plan takes no lock stronger than ACCESS SHARE: while another session
// holds EXCLUSIVE on the table (which only ACCESS SHARE gets past), planning
// an unchanged or a changed policy neither waits nor fails. An unchanged one
// is not normalised at all: without the TEMPORARY privilege, which the copy
// needs, it still plans, while a changed one says why it cannot.
func TestAccRLSPolicy_planTakesNoConflictingLock(t *testing.T) {
	db := newDB(t, officeHoursSchema)
	ctx := context.Background()
	var holder *pgxpool.Conn
	lock := func() {
		c, err := db.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Exec(ctx, "BEGIN; LOCK TABLE public.bookings IN EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		holder = c
	}
	unlock := func() {
		if holder != nil {
			if _, err := holder.Exec(ctx, "ROLLBACK"); err != nil {
				t.Errorf("releasing the lock: %v", err)
			}
			holder.Release()
			holder = nil
		}
	}
	t.Cleanup(unlock)
	temp := func(sql string) func() {
		return func() { db.Exec(t, fmt.Sprintf(sql, db.Name(t))) }
	}
	changed := officeHoursConfig(db, "mentor_id = auth.uid()", createOwn)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: officeHoursConfig(db, viewOwn, createOwn)},
			{PreConfig: lock, Config: officeHoursConfig(db, viewOwn, createOwn), PlanOnly: true},
			{Config: changed, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() {
					unlock()
					temp(`REVOKE TEMPORARY ON DATABASE %[1]s FROM PUBLIC; REVOKE TEMPORARY ON DATABASE %[1]s FROM postgres`)()
				},
				Config: officeHoursConfig(db, viewOwn, createOwn), PlanOnly: true,
			},
			{Config: changed, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)permission\s+denied\s+to\s+create\s+temporary\s+tables.*TEMPORARY\s+privilege`)},
			{PreConfig: temp(`GRANT TEMPORARY ON DATABASE %[1]s TO postgres`), Config: changed},
		},
	})
}
