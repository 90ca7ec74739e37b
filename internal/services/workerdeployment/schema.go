package workerdeployment

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// versionIDRe is a version id as Cloudflare answers it: a UUID.
var versionIDRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func (r *deploymentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Which versions of a Worker serve its traffic, and in what shares: a deployment " +
			"(`POST /workers/scripts/{name}/deployments`, Cloudflare's gradual deployments). Pair it with an " +
			"`officehours_worker_script` that has `deploy = false`, which uploads versions without deploying them.\n\n" +
			"- **A gradual release** is a change of `versions`: the new version at 10 % beside the one serving " +
			"now at 90 %, applied and watched, then the new version at 100 %.\n" +
			"- **A rollback** is a deployment of an earlier version at 100 %; " +
			"`data.officehours_worker_versions` lists the ids, messages and who made them.\n" +
			"- **Drift.** Each refresh reads the Worker's latest deployment. One made outside Terraform " +
			"(`wrangler versions deploy`, `wrangler rollback`, the dashboard) shows in the plan as a change of " +
			"`versions` back to the configuration, which applying deploys again; to keep it, write its versions " +
			"into the configuration.\n" +
			"- **Destroy** forgets the deployment: Cloudflare cannot undeploy a Worker, which keeps serving the " +
			"versions last deployed.\n\n" +
			"Each change creates a new deployment (Cloudflare keeps the history); changing only `message` deploys " +
			"the same versions again with the new message. Import by the script name (its latest deployment).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Id of the deployment the last apply created (or found, on import).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"script_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Worker. Changing it starts managing another Worker's deployments.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"versions": schema.ListNestedAttribute{
				Required: true,
				MarkdownDescription: "One or two versions (Cloudflare's limit) and the share of requests each serves, " +
					"adding up to 100. A version id is an `officehours_worker_script`'s `version_id`, or one listed by " +
					"`data.officehours_worker_versions` or `wrangler versions list`; the plan checks that it is a version " +
					"of this Worker.",
				Validators: []validator.List{listvalidator.SizeBetween(1, 2)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"version_id": schema.StringAttribute{
						Required: true, MarkdownDescription: "The version id (a UUID).",
						Validators: []validator.String{stringvalidator.RegexMatches(versionIDRe,
							"must be a Worker version id: a lowercase UUID such as 0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90")},
					},
					"percentage": schema.Float64Attribute{
						Required: true, MarkdownDescription: "Share of requests, 0 to 100 (decimals allowed).",
						Validators: []validator.Float64{float64validator.Between(0, 100)},
					},
				}},
			},
			"message": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Why, shown by `wrangler deployments list` and the dashboard (the " +
					"`workers/message` annotation), for example `roll back to v41: broken bookings`. At most 1000 bytes.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 1000)},
			},
			"force": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Deploy even when a version's secrets differ from those serving now. A version keeps " +
					"the secret values it was created with: rolling back past a secret rotation serves the old values, " +
					"which Cloudflare refuses unless forced. Default `false`.",
			},
			"created_on": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the deployment was created.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Who made the deployment as Cloudflare reports it: `terraform`, `wrangler`, `dash`, `api`, ….",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}
