package migration

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustFile(t *testing.T, name, content string) File {
	t.Helper()
	f, err := ParseFile(name, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// row is the history row the CLI would write for f.
func row(f File) HistoryRow {
	return HistoryRow{Version: f.Version, Name: f.Name, Statements: f.Texts()}
}

func versions(files []File) []string {
	out := []string{}
	for _, f := range files {
		out = append(out, f.Version)
	}
	return out
}

func TestCompute(t *testing.T) {
	users := mustFile(t, "20240101000000_users.sql", "create table users (id uuid primary key);")
	bookings := mustFile(t, "20240102000000_bookings.sql", "create table bookings (id bigint);\ncreate index on bookings (id);")
	rls := mustFile(t, "20240103000000_rls.sql", "alter table bookings enable row level security;")
	all := []File{users, bookings, rls}

	tests := []struct {
		name           string
		files          []File
		history        []HistoryRow
		opts           Options
		pending        []string
		baseline       []string
		latest         string
		latestApplied  string
		problems       []string // substrings, one per problem, in order
		warningsSubstr string
	}{
		{name: "fresh database", files: all, pending: []string{users.Version, bookings.Version, rls.Version}, latest: rls.Version},
		{name: "nothing pending", files: all, history: []HistoryRow{row(users), row(bookings), row(rls)},
			pending: []string{}, latest: rls.Version, latestApplied: rls.Version},
		{name: "new file", files: all, history: []HistoryRow{row(users), row(bookings)},
			pending: []string{rls.Version}, latest: rls.Version, latestApplied: bookings.Version},
		{name: "empty directory and history", pending: []string{}},
		{name: "history row without file", files: []File{users}, history: []HistoryRow{row(users), row(bookings), row(rls)},
			pending: []string{}, latest: rls.Version, latestApplied: rls.Version,
			problems: []string{"version(s) 20240102000000, 20240103000000, but the migrations directory has no file for them " +
				"(they were applied from another branch or checkout, or their files were deleted). Restore the files, for example from version " +
				"control; or, if they were meant to be dropped, remove their history rows with `supabase migration repair --status reverted " +
				"20240102000000 20240103000000`"}},
		{name: "out of order", files: all, history: []HistoryRow{row(users), row(rls)},
			pending: []string{bookings.Version}, latest: rls.Version, latestApplied: rls.Version,
			problems: []string{"20240102000000_bookings.sql was never applied but older than the newest applied version 20240103000000"}},
		{name: "out of order allowed", files: all, history: []HistoryRow{row(users), row(rls)}, opts: Options{AllowOutOfOrder: true},
			pending: []string{bookings.Version}, latest: rls.Version, latestApplied: rls.Version},
		{name: "versions compare as strings", files: []File{users, mustFile(t, "20240714_short.sql", "select 1;")},
			history: []HistoryRow{row(users)}, pending: []string{"20240714"}, latest: "20240714", latestApplied: users.Version},
		{name: "edited applied file", files: []File{users, bookings},
			history: []HistoryRow{row(users), {Version: bookings.Version, Name: "bookings", Statements: []string{"create table bookings (id int)", "create index on bookings (id)"}}},
			pending: []string{}, latest: bookings.Version, latestApplied: bookings.Version,
			problems: []string{"20240102000000_bookings.sql: statement 1 (starting on line 1) differs first on line 1 of the file: history has " +
				"`create table bookings (id int)`, the file has `create table bookings (id bigint)`"}},
		{name: "statements NULL in history cannot be compared", files: []File{users},
			history: []HistoryRow{{Version: users.Version, NoStatements: true}},
			pending: []string{}, latest: users.Version, latestApplied: users.Version, warningsSubstr: "edits to it cannot be detected"},
		{name: "renamed applied file only warns", files: []File{users}, history: []HistoryRow{{Version: users.Version, Name: "old_name", Statements: users.Texts()}},
			pending: []string{}, latest: users.Version, latestApplied: users.Version, warningsSubstr: `under the name "old_name"`},
		{name: "baseline records older files", files: all, opts: Options{Baseline: bookings.Version},
			pending: []string{rls.Version}, baseline: []string{users.Version, bookings.Version}, latest: rls.Version},
		{name: "baseline ignores applied files", files: all, history: []HistoryRow{row(users)}, opts: Options{Baseline: bookings.Version},
			pending: []string{rls.Version}, baseline: []string{bookings.Version}, latest: rls.Version, latestApplied: users.Version},
		{name: "pending file with COMMIT", files: []File{users, mustFile(t, "20240104000000_commit.sql", "select 1;\ncommit;")},
			history: []HistoryRow{row(users)}, pending: []string{"20240104000000"}, latest: "20240104000000", latestApplied: users.Version,
			problems: []string{"statement 2 (line 2) \"commit\" controls the transaction"}},
		{name: "applied file with COMMIT is not re-checked", files: []File{mustFile(t, "20240104000000_commit.sql", "select 1;\ncommit;")},
			history: []HistoryRow{row(mustFile(t, "20240104000000_commit.sql", "select 1;\ncommit;"))},
			pending: []string{}, latest: "20240104000000", latestApplied: "20240104000000"},
		{name: "duplicate versions", files: []File{users, mustFile(t, "20240101000000_users_again.sql", "select 1;")},
			pending: []string{users.Version, users.Version}, latest: users.Version,
			problems: []string{"20240101000000_users.sql and 20240101000000_users_again.sql have the same version 20240101000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(tt.files, tt.history, tt.opts)
			var got []string
			if err != nil {
				var pe *PlanError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T: %v", err, err)
				}
				for _, pr := range pe.Problems {
					got = append(got, pr.Detail)
				}
			}
			if len(got) != len(tt.problems) {
				t.Fatalf("problems = %q, want %d like %q", got, len(tt.problems), tt.problems)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.problems[i]) {
					t.Errorf("problem %d:\n%s\nwant it to contain\n%s", i, got[i], tt.problems[i])
				}
			}
			if v := versions(p.Pending); !reflect.DeepEqual(v, tt.pending) {
				t.Errorf("pending = %q, want %q", v, tt.pending)
			}
			if v := versions(p.Baseline); len(v)+len(tt.baseline) > 0 && !reflect.DeepEqual(v, tt.baseline) {
				t.Errorf("baseline = %q, want %q", v, tt.baseline)
			}
			if p.Latest != tt.latest || p.LatestApplied != tt.latestApplied {
				t.Errorf("latest = %q applied %q, want %q %q", p.Latest, p.LatestApplied, tt.latest, tt.latestApplied)
			}
			if w := strings.Join(p.Warnings, "\n"); (tt.warningsSubstr == "") != (w == "") || !strings.Contains(w, tt.warningsSubstr) {
				t.Errorf("warnings = %q, want %q", w, tt.warningsSubstr)
			}
		})
	}
}

func TestDiffSummary(t *testing.T) {
	file := mustFile(t, "1_x.sql", "create table a (\n  id int,\n  name text\n);\n\ncreate table b (id int);").Statements
	tests := []struct {
		stored []string
		want   string
	}{
		{[]string{"create table a (\n  id int,\n  name text\n)", "create table b (id int)"}, ""},
		{[]string{"create table a (\n  id int,\n  title text\n)", "create table b (id int)"},
			"statement 1 (starting on line 1) differs first on line 3 of the file: history has `title text`, the file has `name text`"},
		{[]string{"create table a (\n  id int,\n  name text\n)"},
			"the file has 2 statements, the history 1; statement 2 (line 6) was added: `create table b (id int)`"},
		{[]string{"create table a (\n  id int,\n  name text\n)", "create table b (id int)", "drop table c"},
			"the file has 2 statements, the history 3; statements 3 to 3 were removed from the end of the file; the first removed was: `drop table c`"},
		{[]string{"create table a (\n  id int,\n  name text,\n  x int\n)", "create table b (id int)"},
			"differs first on line 3 of the file: history has `name text,`, the file has `name text`"},
		{[]string{"create table a (\n  id int\n)", "create table b (id int)"},
			"differs first on line 2 of the file: history has `id int`, the file has `id int,`"},
	}
	for _, tt := range tests {
		if got := DiffSummary(tt.stored, file); !strings.Contains(got, tt.want) || (tt.want == "") != (got == "") {
			t.Errorf("DiffSummary(%q) =\n%s\nwant\n%s", tt.stored, got, tt.want)
		}
	}
}
