package storagebucket

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

type bucketModel struct {
	ID               types.String   `tfsdk:"id"`
	Name             types.String   `tfsdk:"name"`
	Public           types.Bool     `tfsdk:"public"`
	FileSizeLimit    types.Int64    `tfsdk:"file_size_limit"`
	AllowedMimeTypes types.Set      `tfsdk:"allowed_mime_types"`
	ForceDestroy     types.Bool     `tfsdk:"force_destroy"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// body is what a create or update sends: every setting, null where the
// configuration has none, so that an update also clears.
func (m *bucketModel) body(ctx context.Context) (map[string]any, diag.Diagnostics) {
	b := map[string]any{"public": m.Public.ValueBool(), "file_size_limit": nil, "allowed_mime_types": nil}
	if !m.FileSizeLimit.IsNull() {
		b["file_size_limit"] = m.FileSizeLimit.ValueInt64()
	}
	var diags diag.Diagnostics
	if !m.AllowedMimeTypes.IsNull() {
		var mimes []string
		diags = m.AllowedMimeTypes.ElementsAs(ctx, &mimes, false)
		b["allowed_mime_types"] = mimes
	}
	return b, diags
}

// fromAPI sets what Storage reports. An empty MIME list reads as the
// configuration's null or empty set, whichever it had.
func (m *bucketModel) fromAPI(ctx context.Context, b clients.Bucket) diag.Diagnostics {
	m.ID = types.StringValue(b.ID)
	m.Name = types.StringValue(b.Name)
	m.Public = types.BoolValue(b.Public)
	m.FileSizeLimit = types.Int64PointerValue(b.FileSizeLimit)
	if len(b.AllowedMimeTypes) == 0 && (m.AllowedMimeTypes.IsNull() || len(m.AllowedMimeTypes.Elements()) == 0) {
		return nil
	}
	var diags diag.Diagnostics
	m.AllowedMimeTypes, diags = types.SetValueFrom(ctx, types.StringType, b.AllowedMimeTypes)
	return diags
}
