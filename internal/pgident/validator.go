package pgident

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// IdentValidator rejects strings that cannot be used as PostgreSQL
// identifiers (empty, containing NUL, longer than 63 bytes) at plan time.
type IdentValidator struct{}

var _ validator.String = IdentValidator{}

// Description says what the validator requires.
func (IdentValidator) Description(context.Context) string {
	return "must be a PostgreSQL identifier: 1 to 63 bytes, no NUL byte"
}

// MarkdownDescription is Description.
func (v IdentValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString refuses a value that is not a valid identifier.
func (IdentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := ValidIdent(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid PostgreSQL name",
			"The value cannot be used as a PostgreSQL name: "+err.Error()+". Any other character, including spaces, dots and quotes, is fine: the provider quotes every name.")
	}
}
