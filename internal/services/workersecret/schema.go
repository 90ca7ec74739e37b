package workersecret

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var secretNameRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

type secretModel struct {
	ID             types.String `tfsdk:"id"`
	ScriptName     types.String `tfsdk:"script_name"`
	Name           types.String `tfsdk:"name"`
	ValueWO        types.String `tfsdk:"value_wo"`
	ValueWOVersion types.Int64  `tfsdk:"value_wo_version"`
}

func (r *secretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A secret of a Worker script (`/accounts/{account_id}/workers/scripts/{script}/secrets`).\n\n" +
			"The value is a **write-only** attribute (Terraform 1.11 or later): it is sent to Cloudflare and never enters " +
			"the plan or the state, not even as a hash. Cloudflare never returns secret values either, so a change of the " +
			"value cannot be detected by comparing: **bump `value_wo_version` to rotate** the secret. Changing `value_wo` " +
			"alone changes nothing.\n\n" +
			"A secret deleted outside Terraform (or a script deleted with it) is planned for re-creation. Each secret " +
			"change creates and deploys a new version of the script, as on Cloudflare; the script's etag does not change.\n\n" +
			"Import with `<script_name>/<secret_name>`. The value cannot be imported: the first apply after import writes " +
			"it once, since Terraform cannot know whether the live value matches.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`<script_name>/<name>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"script_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Worker script. Changing it replaces the secret.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The secret's binding name (a JavaScript identifier). Changing it replaces the secret.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.RegexMatches(secretNameRe, "must be a JavaScript identifier")},
			},
			"value_wo": schema.StringAttribute{
				Required: true, WriteOnly: true, Sensitive: true,
				MarkdownDescription: "The secret value. Write-only: never stored. Bump `value_wo_version` when it changes.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"value_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it writes `value_wo` again. This is how a rotation is told " +
					"apart from no change, since the value itself is never stored.",
			},
		},
	}
}
