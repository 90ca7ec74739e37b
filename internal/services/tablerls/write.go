package tablerls

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

// write applies the planned flags (Create and Update share it).
func (r *tableRLSResource) write(ctx context.Context, get func(context.Context, any) diag.Diagnostics, state *tfsdk.State, diags *diag.Diagnostics, summary string) {
	var plan tableRLSModel
	diags.Append(get(ctx, &plan)...)
	pool, d := r.Clients.Database(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if err := apply(ctx, pool, &plan, false); err != nil {
		diags.AddError(summary, fmt.Sprintf("Setting row level security on %s (enabled=%t, forced=%t) failed: %s",
			pgident.FormatID(plan.Schema.ValueString(), plan.Table.ValueString()), plan.Enabled.ValueBool(), plan.Forced.ValueBool(), err))
		return
	}
	diags.Append(state.Set(ctx, &plan)...)
}

// apply runs the ALTER TABLE under the table's write lock and reads the
// flags back into m; when the flags already match it sends nothing, so a
// table the user does not own (Supabase's) can be declared as it is. A
// missing table is an error, or nothing to do when missingOK (destroying).
func apply(ctx context.Context, db policysql.DB, m *tableRLSModel, missingOK bool) error {
	schema, table := m.Schema.ValueString(), m.Table.ValueString()
	return policysql.WithTableWrite(ctx, db, schema, table, func(tx pgx.Tx) error {
		var nf *policysql.TableNotFoundError
		t, err := policysql.CheckPolicyTable(ctx, tx, schema, table)
		switch {
		case errors.As(err, &nf) && missingOK:
			return nil
		case err != nil:
			return err
		case t.RowSecurity == m.Enabled.ValueBool() && t.ForceRLS == m.Forced.ValueBool():
			m.fromTable(t)
			return nil
		}
		if err := changeable(t, m); err != nil {
			return err
		}
		sql, err := policysql.TableRLSSQL(schema, table, m.Enabled.ValueBool(), m.Forced.ValueBool())
		if err != nil {
			return err
		}
		if err := policysql.ExecDDL(ctx, tx, sql); err != nil {
			return err
		}
		if t, err = policysql.LookupTable(ctx, tx, schema, table); err != nil {
			return err
		}
		m.fromTable(t)
		return nil
	})
}
