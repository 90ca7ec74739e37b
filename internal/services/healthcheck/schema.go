package healthcheck

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	nameRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	codeRe = regexp.MustCompile(`^[1-5]([0-9]{2}|xx)$`)
)

func (r *checkResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	int64Setting := func(description string, def int64, validators ...validator.Int64) schema.Int64Attribute {
		return schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(def), MarkdownDescription: description, Validators: validators}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A standalone health check of a zone (`/zones/{zone_id}/healthchecks`): Cloudflare requests " +
			"`<type>://<address>:<port><path>` every `interval` seconds and reads back `status` (`unknown` until the " +
			"first probes, then `healthy` or `unhealthy`, or `suspended`) and `failure_reason`. Pair it with an " +
			"`officehours_notification_policy` of type `health_check_status_notification` to be alerted.\n\n" +
			"Every setting not written takes Cloudflare's default (the API schema's), so what is read back never plans a " +
			"change; a setting changed in the dashboard shows as drift. `status` and `failure_reason` are Cloudflare's " +
			"findings, not settings: they change between runs without planning anything. Import with `<zone_id>/<id>`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Health check id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"zone_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The zone. Changing it replaces the health check.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "A short name: letters, digits, hyphens and underscores.",
				Validators: []validator.String{stringvalidator.RegexMatches(nameRe, "may hold only letters, digits, hyphens and underscores")},
			},
			"description": schema.StringAttribute{Optional: true, MarkdownDescription: "What the check is for."},
			"address": schema.StringAttribute{
				Required: true, MarkdownDescription: "Hostname or IP address to probe, for example `api.example.com`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("HTTP"),
				MarkdownDescription: "`HTTP` (Cloudflare's default) or `HTTPS`.",
				Validators:          []validator.String{stringvalidator.OneOf("HTTP", "HTTPS")},
			},
			"path": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("/"),
				MarkdownDescription: "Path to request, for example `/health`.",
				Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^/`), "must begin with /")},
			},
			"port": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "Port to connect to; unset is 80 for HTTP and 443 for HTTPS.",
				Validators: []validator.Int64{int64validator.Between(1, 65535)},
			},
			"method": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("GET"),
				MarkdownDescription: "`GET` or `HEAD`.", Validators: []validator.String{stringvalidator.OneOf("GET", "HEAD")},
			},
			"headers": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Request headers, for example `{ Host = \"api.example.com\" }`. `User-Agent` cannot be set.",
			},
			"expected_codes": schema.ListAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				Default:             listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue("200")})),
				MarkdownDescription: "Status codes (`\"200\"`) or ranges (`\"2xx\"`) that count as healthy.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.RegexMatches(codeRe, "must be a status code such as \"200\" or a range such as \"2xx\""))},
			},
			"expected_body": schema.StringAttribute{
				Optional: true, MarkdownDescription: "A case-insensitive substring the body must contain, for example `\"status\":\"ok\"`.",
			},
			"follow_redirects": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: "Follow 3xx answers.",
			},
			"allow_insecure": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: "Do not validate an HTTPS certificate.",
			},
			"interval": int64Setting("Seconds between probes, 60 to 3600 (Cloudflare's default 60; shorter intervals need a Business plan).", 60,
				int64validator.Between(60, 3600)),
			"timeout":               int64Setting("Seconds before a probe counts as failed (default 5); shorter than the interval.", 5, int64validator.AtLeast(1)),
			"retries":               int64Setting("Retries of a timed-out probe, at once (default 2).", 2, int64validator.Between(0, 5)),
			"consecutive_fails":     int64Setting("Failed probes in a row before the check turns `unhealthy` (default 1).", 1, int64validator.AtLeast(1)),
			"consecutive_successes": int64Setting("Passed probes in a row before it turns `healthy` again (default 1).", 1, int64validator.AtLeast(1)),
			"suspended": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: "Send no probes.",
			},
			"status": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`unknown`, `healthy`, `unhealthy` or `suspended`, as last read.",
			},
			"failure_reason": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Why the check is unhealthy (Cloudflare's words), empty otherwise.",
			},
		},
	}
}

// ValidateConfig refuses a timeout as long as the interval, which the
// probes could never keep.
func (r *checkResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m checkModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	interval, timeout := int64(60), int64(5)
	if !m.Interval.IsNull() {
		interval = m.Interval.ValueInt64()
	}
	if !m.Timeout.IsNull() {
		timeout = m.Timeout.ValueInt64()
	}
	if m.Interval.IsUnknown() || m.Timeout.IsUnknown() || timeout < interval {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Timeout not shorter than the interval",
		"A probe must time out before the next one is due: set timeout below interval (now "+
			types.Int64Value(timeout).String()+" and "+types.Int64Value(interval).String()+" seconds).")
}
