// Package dbcheck is the one way the database resources check something at
// plan time: only when the database is known, through the provider's pool,
// and with one wording for a table that is missing or is not a table, and
// for a database that cannot be reached (the plan goes on; apply checks).
package dbcheck

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

// Pool returns the database for a plan-time check, or nil when there is
// nothing to check yet: the provider is not configured (validation), or its
// database URL is known only after apply. An unusable URL is an error.
func Pool(ctx context.Context, c *clients.Clients) (*pgxpool.Pool, diag.Diagnostics) {
	if c == nil || c.DatabaseUnknown() {
		return nil, nil
	}
	return c.Database(ctx)
}

// Unreachable reports an error that means the server could not be talked to,
// as opposed to the server refusing what was sent.
func Unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pg *pgconn.PgError
	return !errors.As(err, &pg) && (errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err))
}

// Problem is the diagnostic for err, from checking at plan time what subject
// (for example `Policy "x"`) needs of schema.table; nil for nil. The table's
// attribute is named when the table is the problem.
func Problem(err error, subject, schema, table string) diag.Diagnostic {
	var nf *policysql.TableNotFoundError
	var nt *policysql.NotATableError
	id := pgident.FormatID(schema, table)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &nt):
		return diag.NewAttributeErrorDiagnostic(path.Root("table"), "Not a table",
			fmt.Sprintf("%s is on %s, which is a %s. Put it on the underlying table (a view can apply the table's policies with security_invoker).", subject, id, nt.Kind))
	case errors.As(err, &nf):
		return diag.NewAttributeErrorDiagnostic(path.Root("table"), "Table does not exist",
			fmt.Sprintf("%s is on table %q in schema %q, which does not exist in the database. Create the table first "+
				"(for example with a migration), or correct schema and table. If another resource creates it in this same "+
				"apply, take table from a value known only after the migrations ran (a terraform_data resource with "+
				"depends_on on them; see the officehours_rls_policy documentation).", subject, table, schema))
	case Unreachable(err):
		return diag.NewWarningDiagnostic("Not checked against the database",
			fmt.Sprintf("%s on %s: the database could not be reached (%s), so it was not checked now; apply checks it.", subject, id, err))
	}
	return diag.NewErrorDiagnostic("Cannot plan against the database",
		fmt.Sprintf("%s on %s: checking it against the database failed: %s", subject, id, err))
}
