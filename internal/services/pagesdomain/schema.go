package pagesdomain

import (
	"context"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	projectName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$`)
	hostname    = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// defaultWaitTimeout is how long a create waits for the domain by default.
const defaultWaitTimeout = 15 * time.Minute

var validationTypes = map[string]attr.Type{
	"method": types.StringType, "status": types.StringType,
	"txt_name": types.StringType, "txt_value": types.StringType, "error_message": types.StringType,
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

// createTimeout is terraform-plugin-framework-timeouts' attribute, with
// create only: how long wait_for_active waits.
func createTimeout(ctx context.Context) schema.Attribute {
	a := timeouts.Attributes(ctx, timeouts.Opts{Create: true}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "`create`: how long `wait_for_active` waits, as a duration such as `10m` (default `15m`)."
	return a
}

func (r *domainResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom domain of a Cloudflare Pages project (`/accounts/{account_id}/pages/projects/{project_name}/domains`).\n\n" +
			"**Cloudflare creates no DNS record for a Pages domain**, not even in a zone of the same account: the domain " +
			"stays `pending` until its name resolves to the project, through a proxied CNAME to `<project>.pages.dev` in " +
			"the zone (`officehours_dns_record`; an apex works through CNAME flattening). Create the record first and make " +
			"the domain depend on it (`modules/web` does both). A domain elsewhere also needs the TXT record shown in " +
			"`validation`. With `wait_for_active` the apply waits for the domain to become active and, when it does not, " +
			"fails with its status and the record to create or correct, read from the zone's DNS records.\n\n" +
			"When the wait fails the domain stays on the project and is not recorded in the state; the next apply " +
			"picks the existing domain up (keeping its validation record) and waits again.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Domain id assigned by Cloudflare."),
			"project_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "Name of the Pages project. Changing it moves the domain (replace).",
				Validators:    []validator.String{stringvalidator.RegexMatches(projectName, "must be a Pages project name")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The custom hostname, lowercase, for example `staging.officehours.youcanjustdothings.io`. Changing it replaces the domain.",
				Validators:    []validator.String{stringvalidator.RegexMatches(hostname, "must be a lowercase hostname such as www.example.com")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"wait_for_active": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Wait, when the domain is added, until Cloudflare reports it active (DNS and certificate in place). Defaults to `false`.",
			},
			"timeouts": createTimeout(ctx),
			"status": computedString("Status as Cloudflare last reported it: `initializing`, `pending`, `active`, " +
				"`deactivated`, `blocked` or `error`. Refreshed on every plan; a change is not a planned change."),
			"zone_id": computedString("Id of the zone of this account the domain belongs to; empty for a domain elsewhere."),
			"validation": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "How Cloudflare validates the domain, and the record it waits for when the domain is outside the account's zones.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"method":        schema.StringAttribute{Computed: true, MarkdownDescription: "`http` or `txt`."},
					"status":        schema.StringAttribute{Computed: true, MarkdownDescription: "Validation status."},
					"txt_name":      schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the TXT record to add (method `txt`)."},
					"txt_value":     schema.StringAttribute{Computed: true, MarkdownDescription: "Value of the TXT record to add (method `txt`)."},
					"error_message": schema.StringAttribute{Computed: true, MarkdownDescription: "Why validation failed, if it did."},
				},
			},
		},
	}
}
