// Package zone is the officehours_zone data source.
package zone

import (
	"context"
	"fmt"
	"net/url"

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
	query := url.Values{"name": {name}}
	if cf.AccountID != "" {
		query.Set("account.id", cf.AccountID)
	}
	// Zone names are unique, so the first page (at most 50 zones, the
	// maximum Cloudflare serves) holds the one match.
	query.Set("per_page", "50")
	list, err := clients.Get[[]struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}](ctx, cf, "zones", query)
	if err != nil {
		resp.Diagnostics.AddError("Cannot look up zone", fmt.Sprintf("Listing zones named %q failed: %s", name, err))
		return
	}
	if len(list) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Zone not found",
			fmt.Sprintf("No zone named %q is visible to this API token. Check the name, and that the token has the permission Zone · Zone · Read on it.", name))
		return
	}
	m.ID = types.StringValue(list[0].ID)
	m.Status = types.StringValue(list[0].Status)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
