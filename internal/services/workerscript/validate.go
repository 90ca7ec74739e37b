package workerscript

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithValidateConfig = (*scriptResource)(nil)

// ValidateConfig refuses a Durable Object binding to a class of this script
// that durable_object_classes does not declare: Cloudflare refuses that
// upload (10061) only once the apply has begun.
func (r *scriptResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var name types.String
	var bindings, classes types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("durable_object_bindings"), &bindings)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("durable_object_classes"), &classes)...)
	if resp.Diagnostics.HasError() || bindings.IsNull() || bindings.IsUnknown() || classes.IsUnknown() {
		return
	}
	declared := classes.Elements()
	for bindingName, v := range bindings.Elements() {
		obj, ok := v.(types.Object)
		if !ok || obj.IsUnknown() {
			continue
		}
		attrs := obj.Attributes()
		class, _ := attrs["class_name"].(types.String)
		script, _ := attrs["script_name"].(types.String)
		if class.IsUnknown() || script.IsUnknown() || (!script.IsNull() && (name.IsUnknown() || script.ValueString() != name.ValueString())) {
			continue
		}
		if _, ok := declared[class.ValueString()]; ok {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root("durable_object_bindings").AtMapKey(bindingName).AtName("class_name"),
			"Durable Object class not declared",
			fmt.Sprintf("Binding %s names the class %s of this script, which durable_object_classes does not declare; "+
				"Cloudflare refuses such an upload (code 10061). Declare the class (durable_object_classes = { %s = {} }), "+
				"or set script_name to the Worker that exports it.", bindingName, class.ValueString(), class.ValueString()))
	}
}
