package migration

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration/supabasecli"
)

// cliWorkdir copies the migration files of the given testdata directories
// into <tmp>/supabase/migrations, the layout the CLI reads, and returns
// <tmp> and the files as this package reads them.
func cliWorkdir(t *testing.T, dirs ...string) (string, []File) {
	t.Helper()
	work := t.TempDir()
	dst := filepath.Join(work, "supabase", "migrations")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, warnings, err := ReadDir(dst, nil)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("reading %s: %v %q", dst, err, warnings)
	}
	return work, files
}

// TestCLIHistoryMatchesOurSplit lets the real Supabase CLI apply tricky
// files (quotes, dollar quotes, comments, BEGIN ATOMIC, CRLF, BOM, an empty
// file, the no-transaction directive) and the CF Office Hours schema, then
// checks that every row it wrote is exactly what this package would write,
// and that the plan against that database is empty and error-free.
func TestCLIHistoryMatchesOurSplit(t *testing.T) {
	bin := supabasecli.Require(t)
	db := newDB(t)
	work, files := cliWorkdir(t, "testdata/splitcorpus", "testdata/officehours")

	supabasecli.Run(t, bin, work, "migration", "up", "--remote="+db.URL, "--yes")
	history := db.history(t)
	if len(history) != len(files) {
		t.Fatalf("the CLI recorded %d migrations, we read %d files", len(history), len(files))
	}
	for i, f := range files {
		if want := row(f); !reflect.DeepEqual(history[i], want) {
			t.Errorf("%s:\n CLI stored %q\n  we split %q", f.Filename, history[i].Statements, want.Statements)
		}
	}
	plan, err := Compute(files, history, Options{})
	if err != nil || len(plan.Pending) != 0 || len(plan.Warnings) != 0 {
		t.Fatalf("plan after the CLI: pending %d, warnings %q, err %v", len(plan.Pending), plan.Warnings, err)
	}
}

// TestCLIReadsOurHistory applies with this package, then asks the CLI:
// `migration list` must show every version applied on both sides and
// `migration up` must have nothing to do.
func TestCLIReadsOurHistory(t *testing.T) {
	bin := supabasecli.Require(t)
	db := newDB(t)
	work, files := cliWorkdir(t, "testdata/splitcorpus", "testdata/officehours")
	if _, err := Apply(context.Background(), db.Conn, files, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}

	listed := supabasecli.List(t, bin, work, db.URL)
	if len(listed) != len(files) {
		t.Fatalf("migration list shows %d rows for %d files: %+v", len(listed), len(files), listed)
	}
	for i, f := range files {
		if listed[i].Local != f.Version || listed[i].Remote != f.Version {
			t.Errorf("migration list row %d = %+v, want %s applied on both sides", i, listed[i], f.Version)
		}
	}

	stdout, stderr, err := supabasecli.Try(bin, work, "migration", "up", "--remote="+db.URL, "--yes")
	if err != nil || strings.Contains(stdout+stderr, "Applying migration") || !strings.Contains(stdout+stderr, "up to date") {
		t.Fatalf("migration up after the provider: err %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
}
