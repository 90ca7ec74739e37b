package healthcheck

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type checkModel struct {
	ID                   types.String `tfsdk:"id"`
	ZoneID               types.String `tfsdk:"zone_id"`
	Name                 types.String `tfsdk:"name"`
	Description          types.String `tfsdk:"description"`
	Address              types.String `tfsdk:"address"`
	Type                 types.String `tfsdk:"type"`
	Path                 types.String `tfsdk:"path"`
	Port                 types.Int64  `tfsdk:"port"`
	Method               types.String `tfsdk:"method"`
	Headers              types.Map    `tfsdk:"headers"`
	ExpectedCodes        types.List   `tfsdk:"expected_codes"`
	ExpectedBody         types.String `tfsdk:"expected_body"`
	FollowRedirects      types.Bool   `tfsdk:"follow_redirects"`
	AllowInsecure        types.Bool   `tfsdk:"allow_insecure"`
	Interval             types.Int64  `tfsdk:"interval"`
	Timeout              types.Int64  `tfsdk:"timeout"`
	Retries              types.Int64  `tfsdk:"retries"`
	ConsecutiveFails     types.Int64  `tfsdk:"consecutive_fails"`
	ConsecutiveSuccesses types.Int64  `tfsdk:"consecutive_successes"`
	Suspended            types.Bool   `tfsdk:"suspended"`
	Status               types.String `tfsdk:"status"`
	FailureReason        types.String `tfsdk:"failure_reason"`
}

// apiCheck is a health check as the API answers and takes it
// (cloudflare-go v7 healthchecks.Healthcheck; http_config is
// HTTPConfiguration).
type apiCheck struct {
	ID                   string      `json:"id,omitempty"`
	Name                 string      `json:"name"`
	Description          string      `json:"description"`
	Address              string      `json:"address"`
	Type                 string      `json:"type"`
	ConsecutiveFails     int64       `json:"consecutive_fails"`
	ConsecutiveSuccesses int64       `json:"consecutive_successes"`
	Interval             int64       `json:"interval"`
	Retries              int64       `json:"retries"`
	Timeout              int64       `json:"timeout"`
	Suspended            bool        `json:"suspended"`
	HTTPConfig           *httpConfig `json:"http_config"`
	Status               string      `json:"status,omitempty"`
	FailureReason        string      `json:"failure_reason,omitempty"`
}

type httpConfig struct {
	AllowInsecure   bool                `json:"allow_insecure"`
	ExpectedBody    string              `json:"expected_body"`
	ExpectedCodes   []string            `json:"expected_codes"`
	FollowRedirects bool                `json:"follow_redirects"`
	Header          map[string][]string `json:"header"`
	Method          string              `json:"method"`
	Path            string              `json:"path"`
	Port            int64               `json:"port"`
}

// defaultPort is the port Cloudflare uses for a type when none is given.
func defaultPort(checkType string) int64 {
	if checkType == "HTTPS" {
		return 443
	}
	return 80
}

func (m *checkModel) body(ctx context.Context) (apiCheck, diag.Diagnostics) {
	var diags diag.Diagnostics
	var codes []string
	diags.Append(m.ExpectedCodes.ElementsAs(ctx, &codes, false)...)
	var headers map[string]string
	if !m.Headers.IsNull() {
		diags.Append(m.Headers.ElementsAs(ctx, &headers, false)...)
	}
	h := &httpConfig{
		AllowInsecure: m.AllowInsecure.ValueBool(), ExpectedBody: m.ExpectedBody.ValueString(), ExpectedCodes: codes,
		FollowRedirects: m.FollowRedirects.ValueBool(), Method: m.Method.ValueString(), Path: m.Path.ValueString(),
		Port: m.Port.ValueInt64(), // 0: Cloudflare's default for the type
	}
	if len(headers) > 0 {
		h.Header = map[string][]string{}
		for k, v := range headers {
			h.Header[k] = []string{v}
		}
	}
	return apiCheck{
		Name: m.Name.ValueString(), Description: m.Description.ValueString(), Address: m.Address.ValueString(),
		Type: m.Type.ValueString(), ConsecutiveFails: m.ConsecutiveFails.ValueInt64(),
		ConsecutiveSuccesses: m.ConsecutiveSuccesses.ValueInt64(), Interval: m.Interval.ValueInt64(),
		Retries: m.Retries.ValueInt64(), Timeout: m.Timeout.ValueInt64(), Suspended: m.Suspended.ValueBool(), HTTPConfig: h,
	}, diags
}

// fromAPI fills the model from an answer. The port stays null while it is
// the type's default and was not written, so that leaving it out never
// plans a change.
func (m *checkModel) fromAPI(c apiCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(c.ID)
	m.Name = types.StringValue(c.Name)
	m.Description = types.StringNull()
	if c.Description != "" {
		m.Description = types.StringValue(c.Description)
	}
	m.Address = types.StringValue(c.Address)
	m.Type = types.StringValue(c.Type)
	m.Interval = types.Int64Value(c.Interval)
	m.Timeout = types.Int64Value(c.Timeout)
	m.Retries = types.Int64Value(c.Retries)
	m.ConsecutiveFails = types.Int64Value(c.ConsecutiveFails)
	m.ConsecutiveSuccesses = types.Int64Value(c.ConsecutiveSuccesses)
	m.Suspended = types.BoolValue(c.Suspended)
	m.Status = types.StringValue(c.Status)
	m.FailureReason = types.StringValue(c.FailureReason)
	h := c.HTTPConfig
	if h == nil {
		h = &httpConfig{}
	}
	m.Path = types.StringValue(h.Path)
	m.Method = types.StringValue(h.Method)
	switch {
	case !m.Port.IsNull() && !m.Port.IsUnknown() && m.Port.ValueInt64() == h.Port:
	case h.Port == defaultPort(c.Type):
		m.Port = types.Int64Null()
	default:
		m.Port = types.Int64Value(h.Port)
	}
	codes, d := types.ListValueFrom(context.Background(), types.StringType, h.ExpectedCodes)
	diags.Append(d...)
	m.ExpectedCodes = codes
	m.ExpectedBody = types.StringNull()
	if h.ExpectedBody != "" {
		m.ExpectedBody = types.StringValue(h.ExpectedBody)
	}
	m.FollowRedirects = types.BoolValue(h.FollowRedirects)
	m.AllowInsecure = types.BoolValue(h.AllowInsecure)
	m.Headers = types.MapNull(types.StringType)
	if len(h.Header) > 0 {
		flat := map[string]string{}
		for k, v := range h.Header {
			flat[k] = strings.Join(v, ", ") // several values, set out of band, show as drift
		}
		headers, d := types.MapValueFrom(context.Background(), types.StringType, flat)
		diags.Append(d...)
		m.Headers = headers
	}
	return diags
}
