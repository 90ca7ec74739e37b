package policysql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// Expressions are a policy's USING and WITH CHECK as PostgreSQL prints them
// (pg_get_expr); "" means the clause is absent.
type Expressions struct {
	Using     string
	WithCheck string
}

// Normalize returns p's expressions the way the server stores and prints
// them, so configuration can be compared with what ReadPolicy returns.
//
// PostgreSQL keeps only the parse tree, so the text cannot be compared
// directly: (a = b) gains parentheses, 'x' becomes 'x'::text, and layout and
// case are lost. Normalize lets the server parse the expressions, in a
// transaction that is always rolled back: it copies the table's shape into
// a temporary table of the same name (CREATE TEMP TABLE ... LIKE, which
// takes only an ACCESS SHARE lock on the real table, so a plan never waits
// for application traffic or blocks it), creates a probe policy with p's
// command, roles and expressions on the copy, and reads the expressions
// back with the same pinned search_path as ReadPolicy. pg_temp comes last on
// that path, so names in the expressions resolve as they do for the real
// table. A missing table (*TableNotFoundError), a view (*NotATableError), an
// unknown role or column all fail here, at plan time. (A whole-row
// reference to the table would name the copy's row type and fail.)
func Normalize(ctx context.Context, db DB, p Policy) (Expressions, error) {
	tmp, err := tempPolicyName()
	if err != nil {
		return Expressions{}, err
	}
	source, err := pgident.QualifiedName(p.Schema, p.Table)
	if err != nil {
		return Expressions{}, err
	}
	copyName, err := pgident.QuoteIdent(p.Table)
	if err != nil {
		return Expressions{}, err
	}
	tx, err := begin(ctx, db, p.Schema, NormalizeLockTimeout)
	if err != nil {
		return Expressions{}, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := CheckPolicyTable(ctx, tx, p.Schema, p.Table); err != nil {
		return Expressions{}, err
	}
	if err := ExecDDL(ctx, tx, "CREATE TEMPORARY TABLE "+copyName+" (LIKE "+source+") ON COMMIT DROP"); err != nil {
		return Expressions{}, err
	}
	var tempSchema string
	if err := tx.QueryRow(ctx, "SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = pg_catalog.pg_my_temp_schema()").Scan(&tempSchema); err != nil {
		return Expressions{}, fmt.Errorf("find the temporary schema: %w", err)
	}
	probe := p
	probe.Schema, probe.Name, probe.Permissive = tempSchema, tmp, true
	sql, err := CreateSQL(probe)
	if err != nil {
		return Expressions{}, err
	}
	if err := ExecDDL(ctx, tx, sql); err != nil {
		return Expressions{}, err
	}
	got, err := LookupPolicies(ctx, tx, tempSchema, p.Table, &tmp)
	if err != nil {
		return Expressions{}, err
	}
	if len(got) != 1 {
		return Expressions{}, fmt.Errorf("normalise expressions on %s: the probe policy was not found after creating it", pgident.FormatID(p.Schema, p.Table))
	}
	return Expressions{Using: got[0].Using, WithCheck: got[0].WithCheck}, nil
}

// tempPolicyName returns a name no real policy is expected to have; it only
// ever exists inside a rolled-back transaction.
func tempPolicyName() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "officehours_normalize_" + hex.EncodeToString(b[:]), nil
}
