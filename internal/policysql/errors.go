package policysql

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// TableNotFoundError says a table the configuration names does not exist.
type TableNotFoundError struct{ Schema, Table string }

func (e *TableNotFoundError) Error() string {
	return fmt.Sprintf("table %q.%q does not exist", e.Schema, e.Table)
}

// NotATableError says the relation is a view, sequence or the like, which
// cannot have row level security.
type NotATableError struct{ Schema, Table, Kind string }

func (e *NotATableError) Error() string {
	return fmt.Sprintf("%q.%q is a %s; row level security applies only to tables", e.Schema, e.Table, e.Kind)
}

// hints name the next step for server errors users can act on.
var hints = map[string]string{
	"55P03": "a lock on the table was not granted in time: another apply, a migration or a long transaction holds it; retry when it has finished",
	"42501": "the connecting role lacks the privilege: policies and row level security can only be changed by the table's owner (on Supabase, the postgres role)",
	"42P01": "a relation named in the statement does not exist: check the table name, or qualify the name in the expression with its schema",
	"42704": "an object named in the statement does not exist: check that every role in roles exists (CREATE ROLE) and every name in the expressions",
	"42710": "a policy with this name already exists on the table: import it (terraform import) or choose another name",
	"42601": "the expression is not valid SQL: fix the syntax near the position shown",
	"42883": "a function or operator in the expression does not exist for these argument types: check names, schemas and casts",
	"42703": "a column in the expression does not exist on the table",
	"42P17": "the expression is not allowed in a policy (for example it uses an aggregate or a set-returning function)",
	"0A000": "this operation is not supported here",
}

// hintError adds a next step to a server error and keeps it unwrappable.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() + " (" + e.hint + ")" }
func (e *hintError) Unwrap() error { return e.err }

// Explain adds what to do next to a PostgreSQL error it recognises.
func Explain(err error) error {
	var pg *pgconn.PgError
	if err == nil || !errors.As(err, &pg) {
		return err
	}
	var he *hintError
	if errors.As(err, &he) {
		return err
	}
	if pg.Code == "42501" && strings.Contains(pg.Message, "temporary tables") {
		return &hintError{err: err, hint: "checking a new or changed policy's expressions at plan time uses a temporary " +
			"copy of the table's shape, which needs the TEMPORARY privilege on the database (every role has it unless revoked)"}
	}
	if h, ok := hints[pg.Code]; ok {
		return &hintError{err: err, hint: h}
	}
	return err
}

// IsLockTimeout reports whether err is PostgreSQL's lock_not_available.
func IsLockTimeout(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "55P03"
}
