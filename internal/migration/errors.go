package migration

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ApplyError is a failed file: which statement, on which line, and why.
type ApplyError struct {
	File File
	// Statement is the 0-based index of the failing statement; -1 means
	// before the first statement, len(File.Statements) the history row, one
	// more the COMMIT.
	Statement int
	Line      int // line of the file, 0 when unknown
	Err       error
}

func (e *ApplyError) Unwrap() error { return e.Err }

func newApplyError(f File, idx int, err error) *ApplyError {
	e := &ApplyError{File: f, Statement: idx, Err: err}
	if idx >= 0 && idx < len(f.Statements) {
		pos := 0
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			pos = int(pgErr.Position)
		}
		e.Line = f.Statements[idx].LineOf(pos)
	}
	return e
}

func (e *ApplyError) Error() string {
	f := e.File
	var b strings.Builder
	n := len(f.Statements)
	switch {
	case e.Statement >= 0 && e.Statement < n:
		s := f.Statements[e.Statement]
		fmt.Fprintf(&b, "migration %s failed at statement %d of %d (line %d): %s", f.Filename, e.Statement+1, n, e.Line, pgMessage(e.Err))
		lines := strings.Split(s.Text, "\n")
		if i := e.Line - s.Line; i >= 0 && i < len(lines) {
			fmt.Fprintf(&b, "\n  %d | %s", e.Line, strings.TrimRight(lines[i], "\r"))
		}
	case e.Statement == n:
		fmt.Fprintf(&b, "migration %s: writing its history row (version %s) failed: %s", f.Filename, f.Version, pgMessage(e.Err))
		if IsPgCode(e.Err, "23505") {
			b.WriteString("\nAnother tool recorded this version meanwhile (the Supabase CLI does not take the provider's lock); run terraform plan again.")
		}
	case e.Statement == n+1:
		fmt.Fprintf(&b, "migration %s failed at COMMIT (a deferred constraint or trigger fired): %s", f.Filename, pgMessage(e.Err))
	default:
		fmt.Fprintf(&b, "migration %s could not be sent to the database: %s", f.Filename, pgMessage(e.Err))
	}
	if f.NoTransaction {
		if e.Statement > 0 {
			fmt.Fprintf(&b, "\n%s runs outside a transaction (first-line directive): its statements 1 to %d were applied and stay applied, "+
				"and no history row was written.", f.Filename, min(e.Statement, n))
		} else {
			fmt.Fprintf(&b, "\n%s runs outside a transaction (first-line directive); none of its statements ran and no history row was written.", f.Filename)
		}
		fmt.Fprintf(&b, " Make the file safe to run again (for example IF NOT EXISTS) and apply again, or finish it by hand and "+
			"record it with `supabase migration repair --status applied %s`.", f.Version)
	} else {
		fmt.Fprintf(&b, "\nNothing of %s was applied: it runs in one transaction together with its history row. "+
			"Earlier migrations stay applied and recorded; later ones were not run. Fix the file and apply again.", f.Filename)
	}
	return b.String()
}

// pgMessage formats a PostgreSQL error with its detail and hint.
func pgMessage(err error) string {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err.Error()
	}
	msg := fmt.Sprintf("%s: %s (SQLSTATE %s)", pgErr.Severity, pgErr.Message, pgErr.Code)
	if pgErr.Detail != "" {
		msg += "; DETAIL: " + pgErr.Detail
	}
	if pgErr.Hint != "" {
		msg += "; HINT: " + pgErr.Hint
	}
	if pgErr.Where != "" {
		msg += "; CONTEXT: " + strings.ReplaceAll(pgErr.Where, "\n", "; ")
	}
	return msg
}
