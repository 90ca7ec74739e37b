// Package zone is the officehours_zone data source.
package zone

import (
	"context"
	"fmt"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/zones"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var _ datasource.DataSourceWithConfigure = (*zoneDataSource)(nil)

type zoneDataSource struct{ clients.DataSourceBase }

// NewDataSource is the officehours_zone factory.
func NewDataSource() datasource.DataSource { return &zoneDataSource{} }

type zoneModel struct {
	Name   types.String `tfsdk:"name"`
	ID     types.String `tfsdk:"id"`
	Status types.String `tfsdk:"status"`
}

func (d *zoneDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_zone"
}

func (d *zoneDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks a Cloudflare zone up by name (one `GET /zones?name=` request).",
		Attributes: map[string]schema.Attribute{
			"name":   schema.StringAttribute{Required: true, MarkdownDescription: "Zone name, for example `officehours.youcanjustdothings.io`."},
			"id":     schema.StringAttribute{Computed: true, MarkdownDescription: "Zone id."},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "Zone status, for example `active` or `pending`."},
		},
	}
}

func (d *zoneDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m zoneModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	cf, diags := d.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.Name.ValueString()
	params := zones.ZoneListParams{Name: cloudflare.F(name)}
	if cf.AccountID != "" {
		params.Account = cloudflare.F(zones.ZoneListParamsAccount{ID: cloudflare.F(cf.AccountID)})
	}
	list, err := cf.API.Zones.List(ctx, params)
	if err != nil {
		resp.Diagnostics.AddError("Cannot look up zone", fmt.Sprintf("Listing zones named %q failed: %s", name, err))
		return
	}
	if len(list.Result) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Zone not found",
			fmt.Sprintf("No zone named %q is visible to this API token. Check the name, and that the token has Zone Read on it.", name))
		return
	}
	m.ID = types.StringValue(list.Result[0].ID)
	m.Status = types.StringValue(string(list.Result[0].Status))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
