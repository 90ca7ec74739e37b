package workerdeployment

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var _ datasource.DataSourceWithConfigure = (*versionsDataSource)(nil)

type versionsDataSource struct{ clients.DataSourceBase }

// NewDataSource is the officehours_worker_versions factory.
func NewDataSource() datasource.DataSource { return &versionsDataSource{} }

type versionsModel struct {
	ScriptName  types.String      `tfsdk:"script_name"`
	Limit       types.Int64       `tfsdk:"limit"`
	Versions    []versionModel    `tfsdk:"versions"`
	Deployments []deploymentEntry `tfsdk:"deployments"`
}

type versionModel struct {
	ID          types.String `tfsdk:"id"`
	Number      types.Int64  `tfsdk:"number"`
	CreatedOn   types.String `tfsdk:"created_on"`
	Message     types.String `tfsdk:"message"`
	Tag         types.String `tfsdk:"tag"`
	Source      types.String `tfsdk:"source"`
	AuthorEmail types.String `tfsdk:"author_email"`
}

type deploymentEntry struct {
	ID          types.String   `tfsdk:"id"`
	CreatedOn   types.String   `tfsdk:"created_on"`
	Message     types.String   `tfsdk:"message"`
	Source      types.String   `tfsdk:"source"`
	AuthorEmail types.String   `tfsdk:"author_email"`
	Versions    []trafficModel `tfsdk:"versions"`
}

// maxVersions is the largest page of versions (assumed: Cloudflare
// documents no maximum; the local API serves 100).
const maxVersions = 100

func (d *versionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_versions"
}

func (d *versionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	traffic := schema.ListNestedAttribute{
		Computed: true, MarkdownDescription: "The versions deployed and their shares.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"version_id": str("Version id."),
			"percentage": schema.Float64Attribute{Computed: true, MarkdownDescription: "Share of requests, in percent."},
		}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Worker's recent versions and deployments, newest first, with who made each " +
			"(`terraform`, `wrangler`, `dash`, `api`) and its message: what a rollback pull request names as its target " +
			"(two requests: `GET .../versions` and `GET .../deployments`).",
		Attributes: map[string]schema.Attribute{
			"script_name": schema.StringAttribute{Required: true, MarkdownDescription: "The Worker."},
			"limit": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "How many versions to list, newest first: 1 to 100, default 10.",
				Validators: []validator.Int64{int64validator.Between(1, maxVersions)},
			},
			"versions": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "Versions, newest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           str("Version id: what `officehours_worker_deployment` deploys."),
					"number":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Version number, counting from 1."},
					"created_on":   str("When it was uploaded."),
					"message":      str("Its message (`wrangler versions upload --message`), if any."),
					"tag":          str("Its tag (`wrangler versions upload --tag`), if any."),
					"source":       str("Who uploaded it: `terraform`, `wrangler`, `dash`, `api`, …."),
					"author_email": str("The account member or token owner who uploaded it."),
				}},
			},
			"deployments": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "Deployments, newest (serving) first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           str("Deployment id."),
					"created_on":   str("When it was made."),
					"message":      str("Its message, if any."),
					"source":       str("Who made it: `terraform`, `wrangler`, `dash`, `api`, …."),
					"author_email": str("Who made it, by email."),
					"versions":     traffic,
				}},
			},
		},
	}
}

func (d *versionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m versionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	cf, diags := d.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	script := m.ScriptName.ValueString()
	limit := int64(10)
	if !m.Limit.IsNull() {
		limit = m.Limit.ValueInt64()
	}
	page, err := clients.Get[struct {
		Items []apiVersion `json:"items"`
	}](ctx, cf, scriptPath(cf, script, "versions"), url.Values{"page": {"1"}, "per_page": {strconv.FormatInt(limit, 10)}})
	var list []apiDeployment
	if err == nil {
		list, err = deployments(ctx, cf, script)
	}
	switch {
	case clients.IsGone(err):
		resp.Diagnostics.AddAttributeError(path.Root("script_name"), "Worker not found",
			fmt.Sprintf("No Worker named %q in this account: %s.", script, err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot list Worker versions", fmt.Sprintf("Reading the versions and deployments of Worker %q failed: %s", script, err))
		return
	}
	optional := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	m.Versions = []versionModel{}
	for _, v := range page.Items {
		if int64(len(m.Versions)) == limit {
			break
		}
		m.Versions = append(m.Versions, versionModel{
			ID: types.StringValue(v.ID), Number: types.Int64Value(v.Number), CreatedOn: types.StringValue(v.Metadata.CreatedOn),
			Message: optional(v.Annotations["workers/message"]), Tag: optional(v.Annotations["workers/tag"]),
			Source: types.StringValue(v.Metadata.Source), AuthorEmail: optional(v.Metadata.AuthorEmail),
		})
	}
	m.Deployments = []deploymentEntry{}
	for _, dep := range list {
		var one deploymentModel
		one.fromAPI(script, dep)
		m.Deployments = append(m.Deployments, deploymentEntry{
			ID: one.ID, CreatedOn: one.CreatedOn, Message: one.Message, Source: one.Source,
			AuthorEmail: optional(dep.AuthorEmail), Versions: one.Versions,
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
