package policysql

import (
	"context"
	"fmt"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// commandPrivileges are the table privileges that let a role run a policy's
// command at all; for ALL, any of them.
var commandPrivileges = map[Command][]string{
	CommandSelect: {"SELECT"},
	CommandInsert: {"INSERT"},
	CommandUpdate: {"UPDATE"},
	CommandDelete: {"DELETE"},
	CommandAll:    {"SELECT", "INSERT", "UPDATE", "DELETE"},
}

// Unreachable lists the roles of p that cannot reach p's table for its
// command: no USAGE on the schema, or none of the command's privileges on
// the table (or on one of its columns). Their policy has no effect until
// they are granted. PUBLIC is not checked.
func Unreachable(ctx context.Context, q Querier, p Policy) ([]string, error) {
	table, err := pgident.QualifiedName(p.Schema, p.Table)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, role := range CanonicalRoles(p.Roles) {
		if role == pgident.Public {
			continue
		}
		var reach bool
		err := q.QueryRow(ctx, `SELECT pg_catalog.has_schema_privilege($1, $2, 'USAGE') AND EXISTS (
  SELECT 1 FROM pg_catalog.unnest($4::text[]) AS priv
  WHERE pg_catalog.has_table_privilege($1, $3::regclass, priv)
     OR CASE WHEN priv = 'DELETE' THEN false ELSE pg_catalog.has_any_column_privilege($1, $3::regclass, priv) END)`,
			role, p.Schema, table, commandPrivileges[p.Command]).Scan(&reach)
		if err != nil {
			return nil, fmt.Errorf("check what %s may do on %s: %w", role, pgident.FormatID(p.Schema, p.Table), err)
		}
		if !reach {
			out = append(out, role)
		}
	}
	return out, nil
}
