package healthcheck

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var _ datasource.DataSourceWithConfigure = (*statusDataSource)(nil)

// statusDataSource reads what a health check found, for a `check` block:
// read there, it is fresh after every plan and apply.
type statusDataSource struct{ clients.DataSourceBase }

// NewDataSource is the officehours_health_check data source factory.
func NewDataSource() datasource.DataSource { return &statusDataSource{} }

type statusModel struct {
	ZoneID        types.String `tfsdk:"zone_id"`
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Address       types.String `tfsdk:"address"`
	Status        types.String `tfsdk:"status"`
	FailureReason types.String `tfsdk:"failure_reason"`
}

func (d *statusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_health_check"
}

func (d *statusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What a health check last found (one `GET /zones/{zone_id}/healthchecks/{id}`): " +
			"read in a `check` block, Terraform warns when it says `unhealthy`.",
		Attributes: map[string]schema.Attribute{
			"zone_id":        schema.StringAttribute{Required: true, MarkdownDescription: "The zone."},
			"id":             schema.StringAttribute{Required: true, MarkdownDescription: "Health check id."},
			"name":           schema.StringAttribute{Computed: true, MarkdownDescription: "Its name."},
			"address":        schema.StringAttribute{Computed: true, MarkdownDescription: "What it probes."},
			"status":         schema.StringAttribute{Computed: true, MarkdownDescription: "`unknown`, `healthy`, `unhealthy` or `suspended`."},
			"failure_reason": schema.StringAttribute{Computed: true, MarkdownDescription: "Why it is unhealthy, empty otherwise."},
		},
	}
}

func (d *statusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m statusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	cf, diags := d.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := clients.Get[apiCheck](ctx, cf, checksPath(m.ZoneID.ValueString(), m.ID.ValueString()), nil)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read health check", fmt.Sprintf("Reading health check %s of zone %s failed: %s", m.ID.ValueString(), m.ZoneID.ValueString(), err))
		return
	}
	m.Name, m.Address = types.StringValue(c.Name), types.StringValue(c.Address)
	m.Status, m.FailureReason = types.StringValue(c.Status), types.StringValue(c.FailureReason)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
