package policysql

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// TablePrivileges are the privileges GRANT ... ON TABLE gives, and
// ColumnPrivileges those it can give on columns.
var (
	TablePrivileges  = []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}
	ColumnPrivileges = []string{"SELECT", "INSERT", "UPDATE", "REFERENCES"}
)

// Grant is what one role holds directly on one table: privileges on the
// whole table, and privileges on some columns only.
type Grant struct {
	Schema, Table, Role string
	Privileges          []string            // on the table, sorted
	Columns             map[string][]string // privilege -> its columns, sorted; nil for none
}

// grantsQuery reads a role's direct privileges on a table and on each of
// its columns: aclexplode of pg_class.relacl (or the owner's default ACL
// when never granted) and of pg_attribute.attacl; grantee 0 is PUBLIC.
const grantsQuery = `WITH t AS (
  SELECT c.oid, c.relacl, c.relowner FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname = $2
), grantee AS (
  SELECT CASE WHEN $3 = 'public' THEN 0::oid ELSE (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $3) END AS oid
)
SELECT NULL::text, a.privilege_type FROM t, grantee,
  pg_catalog.aclexplode(coalesce(t.relacl, pg_catalog.acldefault('r', t.relowner))) a WHERE a.grantee = grantee.oid
UNION ALL
SELECT att.attname::text, a.privilege_type FROM t, grantee, pg_catalog.pg_attribute att,
  pg_catalog.aclexplode(att.attacl) a
WHERE att.attrelid = t.oid AND att.attnum > 0 AND NOT att.attisdropped AND a.grantee = grantee.oid`

// ReadGrant reads what role holds directly on schema.table, not through
// role membership or PUBLIC.
func ReadGrant(ctx context.Context, q Querier, schema, table, role string) (Grant, error) {
	g := Grant{Schema: schema, Table: table, Role: pgident.CanonicalRole(role)}
	if _, err := LookupTable(ctx, q, schema, table); err != nil {
		return g, err
	}
	rows, err := q.Query(ctx, grantsQuery, schema, table, g.Role)
	if err != nil {
		return g, fmt.Errorf("read the privileges of %s on %s: %w", role, pgident.FormatID(schema, table), err)
	}
	defer rows.Close()
	privs := map[string]bool{}
	for rows.Next() {
		var col *string
		var priv string
		if err := rows.Scan(&col, &priv); err != nil {
			return g, fmt.Errorf("read the privileges of %s on %s: %w", role, pgident.FormatID(schema, table), err)
		}
		if col == nil {
			privs[priv] = true
			continue
		}
		if g.Columns == nil {
			g.Columns = map[string][]string{}
		}
		g.Columns[priv] = append(g.Columns[priv], *col)
	}
	if err := rows.Err(); err != nil {
		return g, fmt.Errorf("read the privileges of %s on %s: %w", role, pgident.FormatID(schema, table), err)
	}
	for k := range privs {
		g.Privileges = append(g.Privileges, k)
	}
	sort.Strings(g.Privileges)
	for _, cols := range g.Columns {
		sort.Strings(cols)
	}
	return g, nil
}

// CheckGrant refuses privileges a table or its columns do not have.
func CheckGrant(g Grant) error {
	for _, p := range g.Privileges {
		if !slices.Contains(TablePrivileges, p) {
			return fmt.Errorf("%s is not a table privilege: use %s", p, strings.Join(TablePrivileges, ", "))
		}
	}
	for p, cols := range g.Columns {
		if !slices.Contains(ColumnPrivileges, p) {
			return fmt.Errorf("%s cannot be granted on columns: only %s can", p, strings.Join(ColumnPrivileges, ", "))
		}
		if len(cols) == 0 {
			return fmt.Errorf("%s is granted on no columns: list them, or leave the privilege out", p)
		}
	}
	return nil
}

// GrantSQL returns the statements that make role hold exactly g on the
// table: everything it held directly is revoked (REVOKE on a table takes
// the column privileges with it), then g is granted. Run them in one
// transaction.
func GrantSQL(g Grant) ([]string, error) {
	if err := CheckGrant(g); err != nil {
		return nil, err
	}
	table, err := pgident.QualifiedName(g.Schema, g.Table)
	if err != nil {
		return nil, err
	}
	role, err := pgident.QuoteRole(g.Role)
	if err != nil {
		return nil, err
	}
	stmts := []string{"REVOKE ALL ON TABLE " + table + " FROM " + role}
	if len(g.Privileges) > 0 {
		stmts = append(stmts, "GRANT "+strings.Join(g.Privileges, ", ")+" ON TABLE "+table+" TO "+role)
	}
	privs := make([]string, 0, len(g.Columns))
	for p := range g.Columns {
		privs = append(privs, p)
	}
	sort.Strings(privs)
	for _, p := range privs {
		cols := make([]string, len(g.Columns[p]))
		for i, c := range g.Columns[p] {
			if cols[i], err = pgident.QuoteIdent(c); err != nil {
				return nil, fmt.Errorf("column: %w", err)
			}
		}
		stmts = append(stmts, "GRANT "+p+" ("+strings.Join(cols, ", ")+") ON TABLE "+table+" TO "+role)
	}
	return stmts, nil
}
