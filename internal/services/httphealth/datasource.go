// Package httphealth is the officehours_http_health data source: one GET
// of a health endpoint, for a `check` block.
package httphealth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSource = (*healthDataSource)(nil)

type healthDataSource struct{}

// NewDataSource is the officehours_http_health factory.
func NewDataSource() datasource.DataSource { return &healthDataSource{} }

type healthModel struct {
	URL         types.String `tfsdk:"url"`
	StatusCode  types.Int64  `tfsdk:"status_code"`
	Status      types.String `tfsdk:"status"`
	Environment types.String `tfsdk:"environment"`
	Version     types.String `tfsdk:"version"`
	Error       types.String `tfsdk:"error"`
}

// timeout bounds the request: a check must not hold a plan up.
const timeout = 10 * time.Second

func (d *healthDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_http_health"
}

func (d *healthDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One `GET` of a health endpoint that answers JSON such as " +
			"`{\"status\": \"ok\", \"environment\": \"production\", \"version\": \"2026.12.1\"}` (the design's `/health`), " +
			"with a 10-second timeout. A request that fails does not fail the run: it reads as `status_code = 0` " +
			"with `error` saying why, so that a `check` block can warn about it. It sends nothing but the request: " +
			"no credentials.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Required: true, MarkdownDescription: "The endpoint, for example `https://api.example.com/health`.",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^https?://[^/]+`), "must be an http:// or https:// URL")},
			},
			"status_code": schema.Int64Attribute{Computed: true, MarkdownDescription: "The HTTP status of the answer."},
			"status":      schema.StringAttribute{Computed: true, MarkdownDescription: "The answer's JSON `status`; null when there is none."},
			"environment": schema.StringAttribute{Computed: true, MarkdownDescription: "The answer's JSON `environment`, if any."},
			"version":     schema.StringAttribute{Computed: true, MarkdownDescription: "The answer's JSON `version`, if any."},
			"error":       schema.StringAttribute{Computed: true, MarkdownDescription: "Why the request failed; null when it was answered."},
		},
	}
}

func (d *healthDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m healthModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL.ValueString(), nil)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid health URL", err.Error())
		return
	}
	r.Header.Set("Accept", "application/json")
	m.Status, m.Environment, m.Version, m.Error = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		m.StatusCode = types.Int64Value(0)
		m.Error = types.StringValue(fmt.Sprintf("GET %s failed: %s", m.URL.ValueString(), err))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}
	defer res.Body.Close()
	var body struct{ Status, Environment, Version *string }
	data, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	_ = json.Unmarshal(data, &body) // a body that is not JSON leaves them null
	m.StatusCode = types.Int64Value(int64(res.StatusCode))
	m.Status = types.StringPointerValue(body.Status)
	m.Environment = types.StringPointerValue(body.Environment)
	m.Version = types.StringPointerValue(body.Version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
