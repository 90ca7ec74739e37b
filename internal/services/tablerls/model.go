package tablerls

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

type tableRLSModel struct {
	ID               types.String `tfsdk:"id"`
	Schema           types.String `tfsdk:"schema"`
	Table            types.String `tfsdk:"table"`
	Enabled          types.Bool   `tfsdk:"enabled"`
	Forced           types.Bool   `tfsdk:"forced"`
	DisableOnDestroy types.Bool   `tfsdk:"disable_on_destroy"`
}

func (m *tableRLSModel) fromTable(t *policysql.Table) {
	m.ID = types.StringValue(pgident.FormatID(m.Schema.ValueString(), m.Table.ValueString()))
	m.Enabled = types.BoolValue(t.RowSecurity)
	m.Forced = types.BoolValue(t.ForceRLS)
}
