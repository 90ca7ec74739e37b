package migrations_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

const addr = "officehours_database_migrations.schema"

// officeHoursDir holds the CF Office Hours migrations: users, bookings,
// an updated_at trigger, RLS policies and a view.
const officeHoursDir = "../../migration/testdata/officehours"

// Versions of the CF Office Hours files, oldest first.
const (
	vUsers    = "20240601090000"
	vBookings = "20240601090100"
	vTrigger  = "20240601090200"
	vRLS      = "20240601090300"
	vView     = "20240601090400"
)

var officeHoursVersions = []string{vUsers, vBookings, vTrigger, vRLS, vView}

// testDB is one fresh Supabase-fixture database.
type testDB struct{ *pgtest.DB }

func newDB(t *testing.T) *testDB {
	t.Helper()
	return &testDB{pgtest.NewDB(t)}
}

func (db *testDB) history(t *testing.T) []migration.HistoryRow {
	t.Helper()
	h, err := migration.ReadHistory(context.Background(), db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (db *testDB) versions(t *testing.T) []string {
	t.Helper()
	out := []string{}
	for _, r := range db.history(t) {
		out = append(out, r.Version)
	}
	return out
}

// exists reports whether a relation exists.
func (db *testDB) exists(t *testing.T, name string) bool {
	t.Helper()
	var ok bool
	if err := db.Pool.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// migrationsDir copies the CF Office Hours files whose version is in keep
// (all when keep is empty) to a new directory the test may change.
func migrationsDir(t *testing.T, keep ...string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(officeHoursDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(keep) > 0 && !slices.Contains(keep, e.Name()[:14]) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(officeHoursDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, e.Name(), string(b))
	}
	return dir
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// files reads dir as the provider does.
func files(t *testing.T, dir string) []migration.File {
	t.Helper()
	f, _, err := migration.ReadDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// config is the provider block and one resource; extra lines go into the
// resource block as written.
func config(db *testDB, dir string, extra ...string) string {
	body := fmt.Sprintf("  directory = %q\n", dir)
	for _, e := range extra {
		body += "  " + e + "\n"
	}
	return acctest.ProviderBlock(nil, db.URL) + "resource \"officehours_database_migrations\" \"schema\" {\n" + body + "}\n"
}

// checkHistoryIsCLIs checks that the history holds exactly the rows the
// Supabase CLI writes for these files: version, name, split statements.
func (db *testDB) checkHistoryIsCLIs(t *testing.T, want []migration.File) error {
	got := db.history(t)
	if len(got) != len(want) {
		return fmt.Errorf("history has %d rows, want %d", len(got), len(want))
	}
	for i, f := range want {
		r := migration.HistoryRow{Version: f.Version, Name: f.Name, Statements: f.Texts()}
		if !reflect.DeepEqual(got[i], r) {
			return fmt.Errorf("history row %d = %+v, want %+v", i, got[i], r)
		}
	}
	return nil
}

// priorState checks a value in the state a plan starts from (what the
// previous step, even a failed one, left), which plancheck cannot.
type priorState struct {
	attr string
	want any
}

func (c priorState) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil {
		resp.Error = fmt.Errorf("no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		if r.Address == addr {
			if got := r.AttributeValues[c.attr]; !reflect.DeepEqual(got, c.want) {
				resp.Error = fmt.Errorf("prior state %s = %#v, want %#v", c.attr, got, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s not in the prior state", addr)
}

// phrases matches the phrases in order in Terraform's output, which wraps
// long lines: every space in a phrase matches any run of white space.
func phrases(ps ...string) *regexp.Regexp {
	parts := make([]string, len(ps))
	for i, p := range ps {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
