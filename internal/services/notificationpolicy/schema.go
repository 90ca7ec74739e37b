package notificationpolicy

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	emailRe       = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	destinationRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	alertTypeRe   = regexp.MustCompile(`^[a-z0-9_]+$`)
)

func (r *policyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A notification policy of the account (`/accounts/{account_id}/alerting/v3/policies`): " +
			"which alerts (`alert_type` and its `filters`) go to which email addresses and webhooks.\n\n" +
			"For a health check: `alert_type = \"health_check_status_notification\"` with " +
			"`filters = { health_check_id = [officehours_health_check.api.id], status = [\"Unhealthy\", \"Healthy\"] }`. " +
			"A policy edited in the dashboard shows as drift. Import with the policy id.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Policy id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name":        schema.StringAttribute{Required: true, MarkdownDescription: "Policy name.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"description": schema.StringAttribute{Optional: true, MarkdownDescription: "What the policy is for."},
			"alert_type": schema.StringAttribute{
				Required: true, MarkdownDescription: "Cloudflare's alert type, for example `health_check_status_notification`.",
				Validators: []validator.String{stringvalidator.RegexMatches(alertTypeRe, "must be one of Cloudflare's alert types, such as health_check_status_notification")},
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Whether alerts are sent (default true).",
			},
			"email_targets": schema.SetAttribute{
				Optional: true, ElementType: types.StringType, MarkdownDescription: "Email addresses to alert.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.RegexMatches(emailRe, "must be an email address"))},
			},
			"webhook_ids": schema.SetAttribute{
				Optional: true, ElementType: types.StringType, MarkdownDescription: "Ids of webhook destinations (32 hex digits) to alert.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.RegexMatches(destinationRe, "must be a destination id: 32 lowercase hex digits"))},
			},
			"filters": schema.MapAttribute{
				Optional: true, ElementType: types.SetType{ElemType: types.StringType},
				MarkdownDescription: "Cloudflare's filters of the alert type, by name: `health_check_id` and `status` " +
					"(`Healthy`, `Unhealthy`) for `health_check_status_notification`. A filter left out takes every value.",
				Validators: []validator.Map{mapvalidator.SizeAtLeast(1)},
			},
		},
	}
}

// ValidateConfig wants somewhere to send the alerts, and health check
// statuses as Cloudflare writes them.
func (r *policyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m policyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.EmailTargets.IsNull() && m.WebhookIDs.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("email_targets"), "No one to alert",
			"Set email_targets or webhook_ids: a policy without a target sends nothing.")
	}
	if m.Filters.IsNull() || m.Filters.IsUnknown() || m.AlertType.ValueString() != "health_check_status_notification" {
		return
	}
	var filters map[string]types.Set
	resp.Diagnostics.Append(m.Filters.ElementsAs(ctx, &filters, false)...)
	for name, values := range filters {
		if name != "health_check_id" && name != "status" {
			resp.Diagnostics.AddAttributeError(path.Root("filters").AtMapKey(name), "Unknown filter",
				"filters: health_check_status_notification takes health_check_id and status; remove "+name+".")
			continue
		}
		if name != "status" || values.IsUnknown() {
			continue
		}
		var statuses []string
		resp.Diagnostics.Append(values.ElementsAs(ctx, &statuses, false)...)
		for _, s := range statuses {
			if s != "Healthy" && s != "Unhealthy" {
				resp.Diagnostics.AddAttributeError(path.Root("filters").AtMapKey("status"), "Unknown health check status",
					"filters.status takes \"Healthy\" and \"Unhealthy\" (capitalised, as Cloudflare writes them); got \""+s+"\".")
			}
		}
	}
}
