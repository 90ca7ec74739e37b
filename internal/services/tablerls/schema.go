package tablerls

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

const description = "Row level security on one table of the Supabase database: whether it is enabled " +
	"(`ALTER TABLE ... ENABLE ROW LEVEL SECURITY`) and whether it also applies to the table's owner (`FORCE`).\n\n" +
	"With row level security enabled and no policy, roles other than the owner and `BYPASSRLS` roles (on " +
	"Supabase: `postgres`, `service_role`) see no rows at all; add policies with `officehours_rls_policy`.\n\n" +
	"**Drift.** Each plan reads `pg_class.relrowsecurity` and `relforcerowsecurity`, so row level security " +
	"switched off in the Supabase dashboard shows as a change back to `enabled = true`.\n\n" +
	"**Destroy leaves row level security as it is** (normally enabled): removing this resource from the " +
	"configuration must not silently open the table to every role. Set `disable_on_destroy = true` to disable " +
	"it (and `FORCE`) on destroy instead.\n\n" +
	"A table that does not exist is a plan-time error when the database is reachable while planning; for a " +
	"table a migration creates in the same apply, take `table` from a value known only after it exists (see " +
	"`officehours_rls_policy`). Writes to one table are serialised with its policies' writes, inside the " +
	"provider and across processes."

func (r *tableRLSResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ident := []validator.String{pgident.IdentValidator{}}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Import ID `<schema>/<table>`. Inside each part, `%` is written `%25`, `/` `%2F` " +
					"and control characters `%XX`; spaces, dots and quotes stay as they are.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"schema": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("public"),
				MarkdownDescription: "Schema of the table. Default `public`.",
				Validators:          ident, PlanModifiers: replace,
			},
			"table": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Table name, exactly as in the database (case-sensitive; any characters but NUL).",
				Validators:          ident, PlanModifiers: replace,
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether row level security is enabled. Default `true`.",
			},
			"forced": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether policies also apply to the table's owner (`FORCE ROW LEVEL SECURITY`). " +
					"Default `false`. Roles with `BYPASSRLS` are never subject to policies.",
			},
			"disable_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Disable row level security (and `FORCE`) when this resource is destroyed. Default " +
					"`false`: destroying leaves the table as it is, failing closed.",
			},
		},
	}
}
