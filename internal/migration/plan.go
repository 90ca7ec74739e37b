package migration

import (
	"fmt"
	"sort"
	"strings"
)

// HistoryRow is one row of supabase_migrations.schema_migrations.
type HistoryRow struct {
	Version    string
	Name       string
	Statements []string
	// NoStatements: the row's statements are NULL (a Supabase CLI older
	// than 1.67 wrote it), so an edit of its file cannot be detected.
	NoStatements bool
}

// Options are the user's choices that change the plan.
type Options struct {
	// AllowOutOfOrder applies files older than the newest applied version
	// that were never applied (the CLI's --include-all).
	AllowOutOfOrder bool
	// Baseline records files with a version <= Baseline that are not in the
	// history as applied, without running them ("" = no baseline).
	Baseline string
}

// Plan is what applying will do.
type Plan struct {
	Pending  []File // to run, in version order
	Baseline []File // to record as applied without running
	// History is the history table's rows, sorted by version.
	History []HistoryRow
	// LatestApplied is the newest version in the history now ("" if none);
	// Latest the newest once the plan is applied.
	LatestApplied, Latest string
	Warnings              []string
}

// Problem is one reason the migrations cannot be applied as they are.
type Problem struct{ Summary, Detail string }

// PlanError lists every problem found, so one plan shows them all.
type PlanError struct{ Problems []Problem }

func (e *PlanError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Summary + ": " + p.Detail
	}
	return strings.Join(parts, "\n\n")
}

// Compute plans files (sorted, as ReadDir returns them) against the history.
// It returns a *PlanError when anything would stop a safe apply.
func Compute(files []File, history []HistoryRow, opts Options) (*Plan, error) {
	p := &Plan{History: append([]HistoryRow(nil), history...)}
	sort.SliceStable(p.History, func(i, j int) bool { return p.History[i].Version < p.History[j].Version })
	var problems []Problem

	rows := make(map[string]HistoryRow, len(history))
	for _, r := range p.History {
		rows[r.Version] = r
		p.LatestApplied = max(p.LatestApplied, r.Version)
	}
	local := make(map[string][]string, len(files))
	for _, f := range files {
		local[f.Version] = append(local[f.Version], f.Filename)
	}
	for _, f := range files {
		if names := local[f.Version]; len(names) > 1 && names[0] == f.Filename {
			problems = append(problems, Problem{"Two migration files share a version", fmt.Sprintf(
				"%s have the same version %s; the history table records one row per version. Give one of them a new version (rename it).",
				strings.Join(names, " and "), f.Version)})
		}
	}

	var missing []string
	for _, r := range p.History {
		if local[r.Version] == nil {
			missing = append(missing, r.Version)
		}
	}
	if len(missing) > 0 {
		problems = append(problems, Problem{"Applied migrations have no file", fmt.Sprintf(
			"The history table supabase_migrations.schema_migrations records version(s) %s, but the migrations directory has no "+
				"file for them (they were applied from another branch or checkout, or their files were deleted). Restore the files, "+
				"for example from version control; or, if they were meant to be dropped, remove their history rows with "+
				"`supabase migration repair --status reverted %s` (that edits only the history table; it does not undo their SQL).",
			strings.Join(missing, ", "), strings.Join(missing, " "))})
	}

	var outOfOrder, edited []string
	for _, f := range files {
		p.Latest = max(p.Latest, f.Version)
		row, applied := rows[f.Version]
		switch {
		case applied:
			if row.NoStatements {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: its history row has no statements (written by an old Supabase CLI), so edits to it cannot be detected", f.Filename))
			} else if d := DiffSummary(row.Statements, f.Statements); d != "" {
				edited = append(edited, fmt.Sprintf("%s: %s.", f.Filename, d))
			}
			if row.Name != f.Name && row.Name != "" {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: recorded in the history under the name %q; only the version counts, so it stays applied", f.Filename, row.Name))
			}
		case opts.Baseline != "" && f.Version <= opts.Baseline:
			p.Baseline = append(p.Baseline, f)
		default:
			p.Pending = append(p.Pending, f)
			if f.Version < p.LatestApplied {
				outOfOrder = append(outOfOrder, f.Filename)
			}
			for _, c := range f.Check() {
				problems = append(problems, Problem{"Migration cannot be applied safely", c})
			}
		}
	}
	p.Latest = max(p.Latest, p.LatestApplied)

	if len(edited) > 0 {
		problems = append(problems, Problem{"Applied migrations were edited", "These files changed since they were applied " +
			"(compared with the statements stored in supabase_migrations.schema_migrations):\n  " + strings.Join(edited, "\n  ") +
			"\nApplied migrations never run again, so the edit would silently not reach the database. Undo the edit and put the change " +
			"in a new migration file. If the database already matches the edited file (it was changed by hand), record the new " +
			"statements with `supabase migration repair --status applied <version>`."})
	}
	if len(outOfOrder) > 0 && !opts.AllowOutOfOrder {
		problems = append(problems, Problem{"Migrations out of order", fmt.Sprintf(
			"%s %s never applied but older than the newest applied version %s (versions compare as strings, as in the Supabase CLI). "+
				"Give them a version newer than %s by renaming them, or, if they are safe to run after the newer ones, set "+
				"allow_out_of_order = true (the Supabase CLI's --include-all).",
			strings.Join(outOfOrder, ", "), plural(len(outOfOrder), "was", "were"), p.LatestApplied, p.LatestApplied)})
	}
	if len(problems) > 0 {
		return p, &PlanError{Problems: problems}
	}
	return p, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
