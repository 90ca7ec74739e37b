package policysql

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// Querier runs queries; pgx.Tx, *pgx.Conn and *pgxpool.Pool satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// policyQuery reads policies from the catalog rather than the pg_policies
// view, so roles keep their exact names and PUBLIC (OID 0) is mapped here.
// pg_get_expr prints with the session's search_path, which callers pin.
const policyQuery = `SELECT p.polname, p.polcmd::text, p.polpermissive,
  ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END
        FROM pg_catalog.unnest(p.polroles) AS r(oid)),
  pg_catalog.pg_get_expr(p.polqual, p.polrelid),
  pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND ($3::text IS NULL OR p.polname = $3)
ORDER BY p.polname`

// LookupPolicies reads the policies on one table, or only the one named
// policy when name is not nil, with q's current search_path. Use it inside
// WithTableWrite; ReadPolicy and ReadPolicies pin the search_path themselves.
func LookupPolicies(ctx context.Context, q Querier, schema, table string, name *string) ([]Policy, error) {
	rows, err := q.Query(ctx, policyQuery, schema, table, name)
	if err != nil {
		return nil, fmt.Errorf("read policies on %s: %w", pgident.FormatID(schema, table), err)
	}
	var out []Policy
	for rows.Next() {
		var (
			p                = Policy{Schema: schema, Table: table}
			cmd              string
			using, withCheck *string
		)
		if err := rows.Scan(&p.Name, &cmd, &p.Permissive, &p.Roles, &using, &withCheck); err != nil {
			return nil, fmt.Errorf("read policies on %s: %w", pgident.FormatID(schema, table), err)
		}
		if p.Command, err = commandFromCatalog(cmd); err != nil {
			return nil, err
		}
		sort.Strings(p.Roles)
		if using != nil {
			p.Using = *using
		}
		if withCheck != nil {
			p.WithCheck = *withCheck
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read policies on %s: %w", pgident.FormatID(schema, table), err)
	}
	return out, nil
}

// ReadPolicy reads one policy, or returns nil when it does not exist.
func ReadPolicy(ctx context.Context, db DB, schema, table, name string) (*Policy, error) {
	var out []Policy
	err := withReadTx(ctx, db, schema, func(tx pgx.Tx) (err error) {
		out, err = LookupPolicies(ctx, tx, schema, table, &name)
		return err
	})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// ReadPolicies reads every policy on a table in one query.
func ReadPolicies(ctx context.Context, db DB, schema, table string) ([]Policy, error) {
	var out []Policy
	err := withReadTx(ctx, db, schema, func(tx pgx.Tx) (err error) {
		out, err = LookupPolicies(ctx, tx, schema, table, nil)
		return err
	})
	return out, err
}

// Table is what the catalog says about a relation's row level security and
// who owns it.
type Table struct {
	Kind        string // pg_class.relkind: r table, p partitioned table, v view, ...
	RowSecurity bool   // relrowsecurity: ENABLE ROW LEVEL SECURITY
	ForceRLS    bool   // relforcerowsecurity: FORCE ROW LEVEL SECURITY
	Owner       string
	// Owned: the current user owns the table or is a member of its owner.
	// On Supabase, auth.* and storage.* belong to its services: postgres
	// may manage their policies (supautils policy_grants) but not ALTER
	// them or rename their policies.
	Owned bool
}

// SupportsRLS reports whether row level security applies to the relation.
func (t *Table) SupportsRLS() bool { return t.Kind == "r" || t.Kind == "p" }

// KindName names a relkind for error messages.
func (t *Table) KindName() string {
	switch t.Kind {
	case "r":
		return "table"
	case "p":
		return "partitioned table"
	case "v":
		return "view"
	case "m":
		return "materialized view"
	case "f":
		return "foreign table"
	case "S":
		return "sequence"
	case "i", "I":
		return "index"
	}
	return "relation of kind " + t.Kind
}

// LookupTable reads a relation's row level security flags; it returns
// *TableNotFoundError when no relation has that name.
func LookupTable(ctx context.Context, q Querier, schema, table string) (*Table, error) {
	t := &Table{}
	err := q.QueryRow(ctx, `SELECT c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
  pg_catalog.pg_get_userbyid(c.relowner)::text, pg_catalog.pg_has_role(c.relowner, 'USAGE')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2`, schema, table).Scan(&t.Kind, &t.RowSecurity, &t.ForceRLS, &t.Owner, &t.Owned)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &TableNotFoundError{Schema: schema, Table: table}
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", pgident.FormatID(schema, table), err)
	}
	return t, nil
}

// CheckPolicyTable returns an error unless schema.table exists and can
// carry row level security policies.
func CheckPolicyTable(ctx context.Context, q Querier, schema, table string) (*Table, error) {
	t, err := LookupTable(ctx, q, schema, table)
	if err != nil {
		return nil, err
	}
	if !t.SupportsRLS() {
		return nil, &NotATableError{Schema: schema, Table: table, Kind: t.KindName()}
	}
	return t, nil
}
