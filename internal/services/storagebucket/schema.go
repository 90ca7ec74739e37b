package storagebucket

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What Storage accepts (supabase/storage src/storage/limits.ts
// isValidBucketName and the reserved suffix; src/storage/storage.ts
// validateMimeType), refused here at validate instead of at apply.
var (
	bucketNameRe = regexp.MustCompile(`^[A-Za-z0-9_!.*'()&$=@;:+,?-]([A-Za-z0-9_!.*'() &$=@;:+,?-]{0,98}[A-Za-z0-9_!.*'()&$=@;:+,?-])?$`)
	reservedRe   = regexp.MustCompile(`--table-s3$`)
	mimeTypeRe   = regexp.MustCompile(`^([a-zA-Z0-9\-+.]+)/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9\-]+)?$|^[a-zA-Z0-9\-+.]+/\*$`)
)

func (r *bucketResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Supabase Storage bucket (`/storage/v1/bucket`), through the project's Storage API with the " +
			"service_role key (the provider's `supabase` block).\n\n" +
			"Who may read and write its objects is decided by row level security on `storage.objects`: manage those " +
			"policies with `officehours_rls_policy` (`schema = \"storage\"`, `table = \"objects\"`). A public bucket " +
			"serves its objects to anyone by URL; uploads and deletes still follow the policies.\n\n" +
			"**Destroy refuses a bucket that holds objects**, saying how many: Storage deletes only empty buckets. With " +
			"`force_destroy = true` it empties the bucket first (Storage queues the removal, which " +
			"the destroy waits out, up to `timeouts.delete`) — the objects are gone for good.\n\n" +
			"Each plan reads the bucket: `public`, `file_size_limit` or `allowed_mime_types` changed in the dashboard " +
			"show as a change back; a bucket deleted outside Terraform is planned for creation.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The bucket id (the name, as storage-js and the dashboard create buckets). Import by it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Bucket name, for example `avatars`: 1 to 100 of letters, digits and `_!.*'() &$=@;:+,?-`, " +
					"without leading or trailing spaces. It is part of every object's URL; changing it replaces the bucket.",
				Validators: []validator.String{
					stringvalidator.RegexMatches(bucketNameRe, "must be 1 to 100 of letters, digits and _!.*'() &$=@;:+,?- (spaces only inside), as Supabase Storage accepts"),
					noReservedSuffix{},
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"public": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Serve objects to anyone at `/storage/v1/object/public/<bucket>/<path>`. Default `false`.",
			},
			"file_size_limit": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Largest object, in bytes; unset for the project's limit (50 MB on the free plan). It cannot " +
					"exceed the project's limit, which Storage checks at apply.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"allowed_mime_types": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "MIME types objects may have, for example `[\"image/png\", \"image/jpeg\"]`, or a whole " +
					"family such as `image/*`; unset allows every type.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(mimeTypeRe, "must be a MIME type such as image/png, image/*, or text/plain; charset=utf-8"),
					stringvalidator.LengthAtMost(1000),
				)},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Let destroy delete the bucket's objects with it. Default `false`: destroy refuses a " +
					"bucket that is not empty. Set it and apply before the destroy that needs it.",
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Delete: true}),
		},
	}
}

// noReservedSuffix refuses the suffix Storage keeps for its analytics
// (Iceberg) buckets.
type noReservedSuffix struct{}

func (noReservedSuffix) Description(context.Context) string {
	return "must not end in --table-s3, which Supabase Storage reserves for analytics buckets"
}
func (v noReservedSuffix) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v noReservedSuffix) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && reservedRe.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved bucket name", "The bucket name "+v.Description(ctx)+".")
	}
}
