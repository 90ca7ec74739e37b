package tablegrant

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

func (r *grantResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The privileges one role holds on one table (`GRANT ... ON TABLE`), authoritatively: " +
			"what the role holds directly on the table beyond them is revoked, and a grant or revoke made outside " +
			"Terraform shows in the plan.\n\n" +
			"Since 2026-10-30 Supabase grants new tables in `public` to none of its API roles (`anon`, " +
			"`authenticated`, `service_role`; changelog #45329): who reaches a table through the Data API is its grants " +
			"plus its row level security policies. The plan warns when a table in `public` is granted to `anon` or " +
			"`authenticated` while its row level security is off, and `officehours_rls_policy` warns about a policy " +
			"for a role that has no grant.\n\n" +
			"Import with `<schema>/<table>/<role>` (a `/` or `%` inside a name is written `%2F` or `%25`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`<schema>/<table>/<role>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"schema": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("public"),
				MarkdownDescription: "Schema of the table. Default `public`. Changing it replaces the grant.",
				Validators:          []validator.String{pgident.IdentValidator{}}, PlanModifiers: replace,
			},
			"table": schema.StringAttribute{
				Required: true, MarkdownDescription: "The table (or view). Changing it replaces the grant.",
				Validators: []validator.String{pgident.IdentValidator{}}, PlanModifiers: replace,
			},
			"role": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The role, for example `authenticated`, `anon` or `service_role`; `PUBLIC` for every role. " +
					"Changing it replaces the grant.",
				Validators: []validator.String{pgident.IdentValidator{}}, PlanModifiers: replace,
			},
			"privileges": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "What the role may do on the whole table: " + strings.Join(policysql.TablePrivileges, ", ") + ". " +
					"An empty set (with no `column_privileges`) revokes everything the role holds on the table.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(policysql.TablePrivileges...))},
			},
			"column_privileges": schema.MapAttribute{
				Optional: true, ElementType: types.SetType{ElemType: types.StringType},
				MarkdownDescription: "Privileges on some columns only, by privilege (" + strings.Join(policysql.ColumnPrivileges, ", ") +
					"), for example `{ UPDATE = [\"display_name\", \"bio\"] }` to let `authenticated` edit a profile's name " +
					"but not its role.",
				Validators: []validator.Map{
					mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(stringvalidator.OneOf(policysql.ColumnPrivileges...)),
					mapvalidator.ValueSetsAre(setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(pgident.IdentValidator{})),
				},
			},
		},
	}
}
