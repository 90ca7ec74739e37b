package tablerls_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
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
	addr = "officehours_table_rls.t"
	// A table name that breaks naive quoting and naive ID splitting.
	oddSchema = `Office "Hours".v2`
	oddTable  = `booking/items.v2; DROP TABLE x`
)

type testDB struct{ *pgtest.DB }

func newDB(t *testing.T) *testDB {
	t.Helper()
	return &testDB{pgtest.NewDB(t, `CREATE TABLE public.bookings (id int); CREATE VIEW public.bookings_view AS SELECT * FROM public.bookings;
CREATE SCHEMA "Office ""Hours"".v2"; CREATE TABLE "Office ""Hours"".v2"."booking/items.v2; DROP TABLE x" (id int);`)}
}

// expect checks the table's flags in the catalog.
func (db *testDB) expect(schema, table string, enabled, forced bool) func(*terraform.State) error {
	return func(*terraform.State) error {
		got, err := policysql.LookupTable(context.Background(), db.Pool, schema, table)
		if err != nil {
			return err
		}
		if got.RowSecurity != enabled || got.ForceRLS != forced {
			return fmt.Errorf("%s.%s: enabled=%t forced=%t, want %t %t", schema, table, got.RowSecurity, got.ForceRLS, enabled, forced)
		}
		return nil
	}
}

func config(db *testDB, schema, table string, attrs ...string) string {
	return acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf("resource \"officehours_table_rls\" \"t\" {\n  schema = %s\n  table = %s\n  %s\n}\n",
		strconv.Quote(schema), strconv.Quote(table), strings.Join(attrs, "\n  "))
}

func planChecks(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: checks}
}

// TestAccTableRLS_lifecycle: enable, a clean second plan, force, import,
// dashboard drift, and a destroy that leaves row level security enabled.
func TestAccTableRLS_lifecycle(t *testing.T) {
	db := newDB(t)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: db.expect("public", "bookings", true, true),
		Steps: []resource.TestStep{
			{
				Config: config(db, "public", "bookings"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("public/bookings")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("forced"), knownvalue.Bool(false)),
				},
				Check: db.expect("public", "bookings", true, false),
			},
			{
				Config:           config(db, "public", "bookings", "forced = true"),
				ConfigPlanChecks: planChecks(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)),
				Check:            db.expect("public", "bookings", true, true),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "public/bookings",
				Config: config(db, "public", "bookings", "forced = true"),
			},
			{ // row level security switched off in the dashboard
				PreConfig: func() { db.Exec(t, "ALTER TABLE public.bookings DISABLE ROW LEVEL SECURITY") },
				Config:    config(db, "public", "bookings", "forced = true"),
				ConfigPlanChecks: planChecks(
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				),
				Check: db.expect("public", "bookings", true, true),
			},
			{ // FORCE removed in the dashboard
				PreConfig:        func() { db.Exec(t, "ALTER TABLE public.bookings NO FORCE ROW LEVEL SECURITY") },
				Config:           config(db, "public", "bookings", "forced = true"),
				ConfigPlanChecks: planChecks(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)),
				Check:            db.expect("public", "bookings", true, true),
			},
			{ // moving to another table replaces the resource; bookings keeps RLS
				PreConfig:        func() { db.Exec(t, "CREATE TABLE public.gone (id int)") },
				Config:           config(db, "public", "gone"),
				ConfigPlanChecks: planChecks(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)),
				Check: resource.ComposeTestCheckFunc(db.expect("public", "gone", true, false),
					db.expect("public", "bookings", true, true)),
			},
			{ // the table dropped out of band: re-creation is planned and fails, naming it
				PreConfig:   func() { db.Exec(t, "DROP TABLE public.gone") },
				Config:      config(db, "public", "gone"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Table does not exist[\s\S]*table "gone" in\s+schema "public"`),
			},
			{
				Config: config(db, "public", "bookings", "forced = true"),
			},
		},
	})
}

// TestAccTableRLS_disableOnDestroy: asked to, destroy disables it.
func TestAccTableRLS_disableOnDestroy(t *testing.T) {
	db := newDB(t)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: db.expect(oddSchema, oddTable, false, false),
		Steps: []resource.TestStep{
			{
				Config: config(db, oddSchema, oddTable, "forced = true", "disable_on_destroy = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(`Office "Hours".v2/booking%2Fitems.v2; DROP TABLE x`)),
				},
				Check: db.expect(oddSchema, oddTable, true, true),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateId: `Office "Hours".v2/booking%2Fitems.v2; DROP TABLE x`,
				// Import cannot know what destroy should do; it defaults to false.
				ImportStateVerifyIgnore: []string{"disable_on_destroy"},
				Config:                  config(db, oddSchema, oddTable, "forced = true", "disable_on_destroy = true"),
			},
		},
	})
}

func TestAccTableRLS_planErrors(t *testing.T) {
	db := newDB(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config(db, "public", "bookings_view"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`Not a table[\s\S]*public/bookings_view, which is a\s+view`),
			},
			{
				Config: config(db, "nope", "bookings"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`table "bookings" in\s+schema "nope"`),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateId: "bookings",
				Config:      config(db, "public", "bookings"),
				ExpectError: regexp.MustCompile(`expected 2 in the form\s+"schema/table"`),
			},
		},
	})
}

// On Supabase, storage.objects belongs to supabase_storage_admin: postgres
// cannot ALTER it. Declaring its flags as they are sends nothing and plans
// clean; declaring others fails the plan, saying why.
func TestAccTableRLS_serviceOwnedTable(t *testing.T) {
	db := newDB(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            config(db, "storage", "objects"),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true))},
				Check:             db.expect("storage", "objects", true, false),
			},
			{
				Config:      config(db, "storage", "objects", "forced = true"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Supabase manages this table.*storage/objects belongs to\s+supabase_storage_admin.*forced = false`),
			},
		},
	})
}
