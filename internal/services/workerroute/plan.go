package workerroute

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/zone"
)

var _ resource.ResourceWithModifyPlan = (*routeResource)(nil)

// ModifyPlan refuses, before anything is sent, a pattern whose host is not
// in the zone (Cloudflare answers 10022 at apply). It reads the zone's name
// once, and only when the zone or the pattern is new or changes.
func (r *routeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan routeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.ZoneID.IsUnknown() || plan.Pattern.IsUnknown() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state routeModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if state.ZoneID.Equal(plan.ZoneID) && state.Pattern.Equal(plan.Pattern) {
			return
		}
	}
	zoneName, diags := zone.NameForCheck(ctx, r.Clients, plan.ZoneID.ValueString(), fmt.Sprintf("the pattern %q", plan.Pattern.ValueString()))
	resp.Diagnostics.Append(diags...)
	if host := routeHost(plan.Pattern.ValueString()); zoneName != "" && !zone.Contains(zoneName, host) {
		resp.Diagnostics.AddAttributeError(path.Root("pattern"), "Route host not in the zone",
			fmt.Sprintf("The pattern %q has the host %q, which is not in zone %s (id %s). Use a host under %s, "+
				"or set zone_id to the zone that holds %q (the officehours_zone data source looks a zone up by name).",
				plan.Pattern.ValueString(), host, zoneName, plan.ZoneID.ValueString(), zoneName, host))
	}
}

// routeHost is the host of a pattern without its leading wildcard.
func routeHost(pattern string) string {
	host, _, _ := strings.Cut(pattern, "/")
	host = strings.TrimPrefix(host, "*")
	return strings.TrimPrefix(host, ".")
}
