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
	Revision       types.Int64  `tfsdk:"revision"`
}

func (r *secretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A secret of a Worker script (`/accounts/{account_id}/workers/scripts/{script}/secrets`).\n\n" +
			"The value is a **write-only** attribute (Terraform 1.11 or later): it is sent to Cloudflare and never enters " +
			"the plan or the state. Cloudflare never returns secret values, so a changed value is detected with a salted, " +
			"slow fingerprint (PBKDF2-SHA256) of the value last written, kept in the resource's private state. A change " +
			"of `value_wo` (or of `value_wo_version`) shows in the plan as `revision` becoming known after apply, and " +
			"applying writes the value once.\n\n" +
			"A secret deleted outside Terraform (or a script deleted with it) is planned for re-creation. Each secret " +
			"write creates and deploys a new version of the script, as on Cloudflare; the script's etag does not change.\n\n" +
			"Import with `<script_name>/<secret_name>`. The live value is adopted as it is and the import plans clean " +
			"(`revision` 0): Terraform cannot read the value to compare, so a change of `value_wo` is detected only once " +
			"Terraform has written the value. To write it right away, bump `value_wo_version`.",
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
				MarkdownDescription: "The secret value. Write-only: never stored in plan or state; a change is detected by fingerprint.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"value_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it writes `value_wo` again even when the value is unchanged " +
					"(for example to write an imported secret, or to restore a value changed outside Terraform).",
			},
			"revision": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "How many times this resource has written the value: 1 after the first write, one " +
					"more on each write, 0 for a secret adopted by import and not written since. It is planned unknown " +
					"when a write is due, so a rotation shows in the plan without the value.",
			},
		},
	}
}
