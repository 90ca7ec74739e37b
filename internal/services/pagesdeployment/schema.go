package pagesdeployment

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

var deploymentIDRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func (r *deploymentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A direct-upload deployment of a built site to a Pages project, the way " +
			"`wrangler pages deploy apps/web/dist` makes it: every file named by its content hash (wrangler's), only the " +
			"files Cloudflare lacks uploaded, `_headers` and `_redirects` sent with the deployment, production or preview by " +
			"`branch`.\n\n" +
			"- **The plan reads the directory** and shows `content_sha256` and how many files are added, changed and " +
			"removed against the last deployment (`files_added`, `files_changed`, `files_removed`), never their bytes. A " +
			"rebuild with identical output changes nothing.\n" +
			"- **Rollback, two ways.** Set `rollback_to` to an earlier production deployment's id (Cloudflare's rollback: " +
			"nothing is uploaded; `terraform state show` or `wrangler pages deployment list` gives the ids) and remove it " +
			"to deploy the directory again; or revert the build output, which deploys the old files again (uploading none " +
			"that Cloudflare still has).\n" +
			"- **Drift.** Each refresh reads whether this deployment still serves production (`serves_production`); one " +
			"made or rolled back outside Terraform shows as a change, and applying deploys the directory again (or " +
			"rolls back to `rollback_to`). A deployment deleted outside Terraform is deployed again.\n" +
			"- **Not deployed here:** Pages Functions (a `functions` directory or `_worker.js`), which wrangler builds into a " +
			"Worker: deploy API code as an `officehours_worker_script`. `_routes.json` only applies to Functions and is " +
			"left out, as wrangler leaves it out of a static deployment.\n\n" +
			"Destroy deletes the deployment unless it serves production (Cloudflare keeps that one; destroying the project " +
			"removes it). Import with `<project_name>/<deployment_id>`; the next apply deploys the directory again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Id of the deployment that serves for this resource: its own upload, or `rollback_to`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Pages project (`officehours_pages_project`). Changing it deploys to another project.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"directory": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The built site, for example `\"${path.module}/../app/web/dist\"`. It is read at plan: it must " +
					"exist and hold 1 to 20,000 files of at most 25 MiB each (Pages' limits). Moving it without changing its " +
					"files changes nothing.",
			},
			"branch": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Branch the deployment is for: the project's production branch (or unset) deploys to " +
					"production, any other branch makes a preview with an alias URL.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"commit_hash": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Commit the files were built from, shown in the dashboard and by wrangler.",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[0-9a-f]{7,40}$`), "must be a Git commit hash (7 to 40 hex digits)")},
			},
			"commit_message": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Message shown with the deployment. Changing it deploys again.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 384)},
			},
			"rollback_to": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Serve an earlier production deployment of the project instead of the directory " +
					"(Cloudflare's rollback). The plan checks that it exists and is a production deployment.",
				Validators: []validator.String{stringvalidator.RegexMatches(deploymentIDRe, "must be a Pages deployment id (a UUID)")},
			},
			"content_sha256": computed("Hash of what the directory deploys: each file's path and content hash, `_headers` and `_redirects`."),
			"file_count":     schema.Int64Attribute{Computed: true, MarkdownDescription: "Files the directory deploys."},
			"files_added":    schema.Int64Attribute{Computed: true, MarkdownDescription: "Files added against the last deployment by this resource."},
			"files_changed":  schema.Int64Attribute{Computed: true, MarkdownDescription: "Files whose content changed against the last deployment."},
			"files_removed":  schema.Int64Attribute{Computed: true, MarkdownDescription: "Files of the last deployment the directory no longer has."},
			"environment":    computed("`production` or `preview`."),
			"url":            computed("The deployment's own URL (`https://<short id>.<project>.pages.dev`)."),
			"alias_url":      computed("For a preview, the branch's alias URL (`https://<branch>.<project>.pages.dev`)."),
			"serves_production": schema.BoolAttribute{
				Computed: true, MarkdownDescription: "Whether this deployment serves the project's production environment now.",
			},
		},
	}
}
