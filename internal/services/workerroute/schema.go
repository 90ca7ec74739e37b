package workerroute

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// patternRe: a lowercase host with an optional leading wildcard (`*.` or
// `*`), then an optional path that may end, and only end, in `*`.
var patternRe = regexp.MustCompile(`^(\*\.?)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](/[^*\s]*\*?)?$`)

func (r *routeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Workers route of a zone (`/zones/{zone_id}/workers/routes`): requests matching the pattern " +
			"run the script.\n\nA route changed outside Terraform (pattern or script) shows as drift and is set back; one " +
			"deleted outside Terraform is planned for re-creation. Patterns are unique in a zone: creating a " +
			"route whose pattern another route has fails with the `terraform import` command that adopts that route. " +
			"Import with `<zone_id>/<route_id>`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Route id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"zone_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The zone. Changing it replaces the route.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"pattern": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Lowercase host in the zone with an optional leading wildcard (`*.example.com`, " +
					"`*example.com`), then an optional path that may end in `*`, for example " +
					"`api.officehours.youcanjustdothings.io/*`.",
				Validators: []validator.String{stringvalidator.RegexMatches(patternRe,
					"must be a lowercase host with an optional leading wildcard, then an optional path with * only at its end, e.g. api.example.com/*")},
			},
			"script_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Worker to run. The Worker must exist. Without it, Workers are disabled on " +
					"matching requests.",
			},
		},
	}
}
