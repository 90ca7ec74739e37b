package rlspolicy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// appMigrations is the CF Office Hours app's own migrations directory.
const appMigrations = "../../../examples/environments/app/supabase/migrations"

// TestAccRLSPolicy_withMigrations applies the CF Office Hours migrations and
// their policies in one apply, following the documented recipe (a
// terraform_data per table, created after the migrations), then adds a
// table and its policy the same way without touching the existing ones.
func TestAccRLSPolicy_withMigrations(t *testing.T) {
	db := newDB(t, "")
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(appMigrations, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations in %s: %v", appMigrations, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	base := acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf(`
resource "officehours_database_migrations" "schema" {
  directory = %q
}

# Known only once the migrations that create the table have run.
resource "terraform_data" "bookings_table" {
  input      = "bookings"
  depends_on = [officehours_database_migrations.schema]
}

resource "officehours_table_rls" "bookings" {
  table = terraform_data.bookings_table.output
}
`, dir) + policyConfig("view_own", "officehours_table_rls.bookings.table", "Users can view own bookings",
		`command = "SELECT"`, `roles = ["authenticated"]`, "using = "+hcl(viewOwn)) +
		policyConfig("create_own", "officehours_table_rls.bookings.table", "Mentees can create bookings",
			`command = "INSERT"`, `roles = ["authenticated"]`, "with_check = "+hcl(createOwn))
	notes := `
resource "terraform_data" "notes_table" {
  input      = "session_notes"
  depends_on = [officehours_database_migrations.schema]
}
resource "officehours_table_rls" "notes" {
  table = terraform_data.notes_table.output
}
` + policyConfig("notes_own", "officehours_table_rls.notes.table", "Authors read their notes",
		`command = "SELECT"`, `roles = ["authenticated"]`, `using = "author_id = (SELECT auth.uid())"`)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: base,
				Check: checkDB(func() error {
					if got := db.policyNames(t, "public", "bookings"); len(got) != 2 {
						return fmt.Errorf("policies on bookings after one apply: %q", got)
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					sql := "create table public.session_notes (id bigint generated always as identity primary key, author_id uuid not null references public.users (id), body text not null);\n"
					if err := os.WriteFile(filepath.Join(dir, "20250301000200_session_notes.sql"), []byte(sql), 0o600); err != nil {
						t.Fatal(err)
					}
				},
				Config: base + notes,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(viewAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(createAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("officehours_rls_policy.notes_own", plancheck.ResourceActionCreate),
				}},
				Check: checkDB(func() error {
					p := db.policy(t, "public", "session_notes", "Authors read their notes")
					if p == nil || p.Using != "(author_id = ( SELECT auth.uid() AS uid))" {
						return fmt.Errorf("notes policy: %+v", p)
					}
					return nil
				}),
			},
		},
	})
}
