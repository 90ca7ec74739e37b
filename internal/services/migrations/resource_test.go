package migrations_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

// listOf is the planned value of pending or baseline_pending for files.
func listOf(files ...migration.File) knownvalue.Check {
	checks := []knownvalue.Check{}
	for _, f := range files {
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"version": knownvalue.StringExact(f.Version),
			"name":    knownvalue.StringExact(f.Name),
			"hash":    knownvalue.StringExact(f.Hash),
		}))
	}
	return knownvalue.ListExact(checks)
}

func planned(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: checks}
}

func expect(attr string, v knownvalue.Check) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

func stateChecks(c ...statecheck.StateCheck) []statecheck.StateCheck { return c }

func expectState(attr string, v knownvalue.Check) statecheck.StateCheck {
	return expectStateOf(addr, attr, v)
}

func expectStateOf(address, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attr), v)
}

func checkDB(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

const (
	notesFile    = "20240601090500_booking_notes.sql"
	notesContent = "alter table public.bookings add column notes text not null default '';\n"
)

// TestAccMigrations_officeHours: the CF Office Hours schema shows in the
// plan and applies in one apply; a second plan is empty; a new file is
// planned alone and applied; import reads the history; destroy leaves the
// tables and the history in place.
func TestAccMigrations_officeHours(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	all := files(t, dir)
	notes, err := migration.ParseFile(notesFile, []byte(notesContent))
	if err != nil {
		t.Fatal(err)
	}
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			for _, rel := range []string{"public.users", "public.bookings", "public.upcoming_bookings"} {
				if !db.exists(t, rel) {
					return fmt.Errorf("destroy dropped %s", rel)
				}
			}
			if got := len(db.history(t)); got != 6 {
				return fmt.Errorf("destroy changed the history: %d rows", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // the plan lists every file with its hash before anything runs
				Config: config(db, dir),
				ConfigPlanChecks: planned(
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					expect("pending", listOf(all...)),
					expect("baseline_pending", listOf()),
					expect("latest_version", knownvalue.StringExact(vView)),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("supabase_migrations.schema_migrations")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("latest_version"), knownvalue.StringExact(vView)),
				},
				Check: checkDB(func() error {
					for _, rel := range []string{"public.users", "public.bookings", "public.bookings_mentor_starts_idx", "public.upcoming_bookings"} {
						if !db.exists(t, rel) {
							return fmt.Errorf("%s missing", rel)
						}
					}
					return db.checkHistoryIsCLIs(t, all)
				}),
			},
			{ // nothing pending: an empty plan
				Config:           config(db, dir),
				ConfigPlanChecks: planned(plancheck.ExpectEmptyPlan()),
			},
			{ // a new file: planned alone, applied as an update
				PreConfig: func() { writeFile(t, dir, notesFile, notesContent) },
				Config:    config(db, dir),
				ConfigPlanChecks: planned(
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expect("pending", listOf(notes)),
					expect("latest_version", knownvalue.StringExact(notes.Version)),
				),
				Check: checkDB(func() error {
					var n int
					if err := db.Pool.QueryRow(t.Context(), "select count(*) from information_schema.columns where table_name = 'bookings' and column_name = 'notes'").Scan(&n); err != nil || n != 1 {
						return fmt.Errorf("notes column: %d, %w", n, err)
					}
					return db.checkHistoryIsCLIs(t, append(all, notes))
				}),
			},
			{ // import by directory reads the history
				ResourceName: addr, ImportState: true, ImportStateId: dir, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"pending", "baseline_pending"},
				Config:                  config(db, dir),
			},
		},
	})
}

// TestAccMigrations_failingFile: a file that fails stops the apply with an
// error naming the file, the statement and its line; nothing of it stays,
// the file before it stays applied and recorded, the one after it does not
// run, the state records how far it got, and fixing the file finishes the
// job.
func TestAccMigrations_failingFile(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t, vUsers, vBookings)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config(db, dir)},
			{
				PreConfig: func() {
					writeFile(t, dir, "20240602000000_mentor_profiles.sql", "create table public.mentor_profiles (user_id uuid primary key references public.users (id));\n")
					writeFile(t, dir, "20240602000100_slots.sql", "create table public.slots (id bigint primary key);\n\n"+
						"insert into public.slots (id)\n  values (1), ('two');\n")
					writeFile(t, dir, "20240602000200_after.sql", "create table public.after_failure (id int);\n")
				},
				Config: config(db, dir),
				ExpectError: phrases("Migration failed", "applied and recorded before the failure: 1 file(s) (20240602000000_mentor_profiles.sql)",
					`migration 20240602000100_slots.sql failed at statement 2 of 2 (line 4): ERROR: invalid input syntax for type bigint: "two"`,
					"4 |   values (1), ('two')", "Nothing of 20240602000100_slots.sql was applied"),
			},
			{ // the state says what happened; the plan lists what is left
				PreConfig: func() {
					if db.exists(t, "public.slots") || db.exists(t, "public.after_failure") || !db.exists(t, "public.mentor_profiles") {
						t.Fatal("want mentor_profiles applied, slots rolled back, after_failure not run")
					}
					if got := db.versions(t); !reflect.DeepEqual(got, []string{vUsers, vBookings, "20240602000000"}) {
						t.Fatalf("history after the failure: %q", got)
					}
					writeFile(t, dir, "20240602000100_slots.sql", "create table public.slots (id bigint primary key);\n")
				},
				Config: config(db, dir),
				ConfigPlanChecks: planned(
					priorState{"latest_version", "20240602000000"},
					priorState{"pending", []any{}},
					expect("pending", knownvalue.ListSizeExact(2)),
					expect("pending", knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"version": knownvalue.StringExact("20240602000100")}),
						1: knownvalue.ObjectPartial(map[string]knownvalue.Check{"version": knownvalue.StringExact("20240602000200")}),
					})),
				),
				Check: checkDB(func() error {
					if !db.exists(t, "public.slots") || !db.exists(t, "public.after_failure") {
						return fmt.Errorf("fixed files not applied")
					}
					return nil
				}),
			},
		},
	})
}

// TestAccMigrations_refusedAtPlan: an edited applied file and a history
// row without a file each stop the plan, saying what to do; putting things
// back gives an empty plan again.
func TestAccMigrations_refusedAtPlan(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	bookings := filepath.Join(dir, "20240601090100_bookings.sql")
	original, err := os.ReadFile(bookings)
	if err != nil {
		t.Fatal(err)
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config(db, dir)},
			{
				PreConfig: func() {
					edited := regexp.MustCompile(`topic text not null default ''`).ReplaceAll(original, []byte("topic varchar(200) not null default ''"))
					if err := os.WriteFile(bookings, edited, 0o644); err != nil {
						t.Fatal(err)
					}
				},
				Config:   config(db, dir),
				PlanOnly: true,
				ExpectError: phrases("Applied migrations were edited",
					"20240601090100_bookings.sql: statement 1 (starting on line 1) differs first on line 7 of the file: "+
						"history has `topic text not null default '',`, the file has `topic varchar(200) not null default '',`",
					"Undo the edit and put the change in a new migration file"),
			},
			{
				PreConfig: func() {
					if err := os.WriteFile(bookings, original, 0o644); err != nil {
						t.Fatal(err)
					}
					if err := os.Remove(filepath.Join(dir, "20240601090400_upcoming_view.sql")); err != nil {
						t.Fatal(err)
					}
				},
				Config:   config(db, dir),
				PlanOnly: true,
				ExpectError: phrases("Applied migrations have no file", "records version(s) 20240601090400, but the migrations directory has no file",
					"supabase migration repair --status reverted 20240601090400"),
			},
			{
				PreConfig: func() {
					src, err := os.ReadFile(filepath.Join(officeHoursDir, "20240601090400_upcoming_view.sql"))
					if err != nil {
						t.Fatal(err)
					}
					writeFile(t, dir, "20240601090400_upcoming_view.sql", string(src))
				},
				Config:           config(db, dir),
				ConfigPlanChecks: planned(plancheck.ExpectEmptyPlan()),
			},
		},
	})
	if got := db.versions(t); !reflect.DeepEqual(got, officeHoursVersions) {
		t.Fatalf("history changed by refused plans: %q", got)
	}
}

// TestAccMigrations_baselineAdoption: a database whose schema was built
// without any history (by hand, psql or another tool) is adopted with
// baseline_version. The plan shows the files it records without running
// them apart from the newer ones it runs; the apply records the first and
// runs only the second; the next plan is empty.
func TestAccMigrations_baselineAdoption(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	all := files(t, dir)
	old, newer := all[:3], all[3:] // users, bookings, trigger exist already; RLS and the view do not
	for _, f := range old {
		for _, s := range f.Statements {
			db.Exec(t, s.Text)
		}
	}
	cfg := config(db, dir, fmt.Sprintf("baseline_version = %q", vTrigger))
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: planned(
					expect("baseline_pending", listOf(old...)),
					expect("pending", listOf(newer...)),
					expect("latest_version", knownvalue.StringExact(vView)),
				),
				// Running the old files again would fail: their tables exist.
				Check: checkDB(func() error {
					if !db.exists(t, "public.upcoming_bookings") {
						return fmt.Errorf("the newer files did not run")
					}
					return db.checkHistoryIsCLIs(t, all)
				}),
			},
			{Config: cfg, ConfigPlanChecks: planned(plancheck.ExpectEmptyPlan())},
		},
	})
}

// A .sql file the Supabase CLI would skip stops the plan, naming the file
// and the name it needs; ignore_files passes it over on purpose.
func TestAccMigrations_fileTheCLIWouldSkip(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	if err := os.WriteFile(filepath.Join(dir, "20250302000000-slots.sql"), []byte("create table slots (id int);"), 0o644); err != nil {
		t.Fatal(err)
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config(db, dir), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Migration file would be skipped.*20250302000000-slots\.sql.*<digits>_<name>\.sql.*20250302000000_slots\.sql.*ignore_files`),
			},
			{Config: config(db, dir, `ignore_files = ["20250302000000-slots.sql"]`)},
		},
	})
	if db.exists(t, "public.slots") {
		t.Fatal("an ignored file was applied")
	}
	if len(db.versions(t)) == 0 {
		t.Fatal("the other migrations were not applied")
	}
}
