package kvnamespace

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func (r *kvNamespaceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Workers KV namespace (`/accounts/{account_id}/storage/kv/namespaces`).\n\n" +
			"Renaming updates the namespace in place. A namespace deleted outside Terraform is planned for " +
			"re-creation; one renamed outside Terraform shows as drift.\n\n" +
			"Creating never leaves two namespaces behind: when a create request's answer is lost (timeout, dropped " +
			"connection, 5xx) the provider looks the title up before trying again, and adopts the namespace it " +
			"finds. A title another namespace already has is reported with the id to import.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Namespace id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"title": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Namespace title, unique within the account (1 to 512 characters).",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 512)},
			},
		},
	}
}
