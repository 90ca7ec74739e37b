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
)

var secretNameRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func (r *secretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A secret of a Worker script (`/accounts/{account_id}/workers/scripts/{script}/secrets`).\n\n" +
			"The value is **write-only** (Terraform 1.11 or later): it never enters the plan or the state. A changed value " +
			"is detected with a salted PBKDF2-SHA256 fingerprint of the value last written, kept in the resource's private " +
			"state, and shows as `revision` known after apply; changing `value_wo_version` writes the value again. Each " +
			"write deploys a new version of the Worker, as on Cloudflare.\n\n" +
			"A secret deleted outside Terraform is planned for re-creation. Import with `<script_name>/<secret_name>`: the " +
			"live value is adopted (`revision` 0) and the import plans clean; a change of `value_wo` is detected once " +
			"Terraform has written the value.",
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
