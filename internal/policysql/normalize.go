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
// case are lost. Normalize creates a throwaway policy with p's command and
// expressions on the real table, in a transaction that is always rolled
// back, with the same pinned search_path as ReadPolicy, and reads the
// expressions back. The probe also has p's roles, so the whole policy is
// checked: a missing table (*TableNotFoundError), a view (*NotATableError),
// an unknown role or column all fail here, at plan time. This needs the
// table owner's privileges and briefly an ACCESS EXCLUSIVE lock on the
// table, bounded by NormalizeLockTimeout.
func Normalize(ctx context.Context, db DB, p Policy) (Expressions, error) {
	tmp, err := tempPolicyName()
	if err != nil {
		return Expressions{}, err
	}
	probe := p
	probe.Name, probe.Permissive = tmp, true
	sql, err := CreateSQL(probe)
	if err != nil {
		return Expressions{}, err
	}
	// Our own writes to this table would queue behind the server lock anyway;
	// waiting here keeps them out of each other's lock_timeout.
	unlock, err := tableLocks.lock(ctx, tableKey(p.Schema, p.Table))
	if err != nil {
		return Expressions{}, err
	}
	defer unlock()
	tx, err := begin(ctx, db, p.Schema, NormalizeLockTimeout)
	if err != nil {
		return Expressions{}, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := CheckPolicyTable(ctx, tx, p.Schema, p.Table); err != nil {
		return Expressions{}, err
	}
	if err := ExecDDL(ctx, tx, sql); err != nil {
		return Expressions{}, err
	}
	got, err := LookupPolicies(ctx, tx, p.Schema, p.Table, &tmp)
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
