package rlspolicy

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

const description = "A PostgreSQL row level security policy (`CREATE POLICY`) on a table in the Supabase database.\n\n" +
	"Policies only take effect while row level security is enabled on the table; manage that with " +
	"`officehours_table_rls`.\n\n" +
	"**Changes.** `roles`, `using`, `with_check` and `name` change in place with `ALTER POLICY`. Changing " +
	"`command`, `permissive`, `schema` or `table`, or removing a `using` or `with_check` clause that exists, " +
	"replaces the policy (PostgreSQL cannot alter those). On a table the connecting role does not own, such as " +
	"Supabase's `storage.objects` or `auth.users`, a new `name` replaces the policy too: Supabase lets `postgres` " +
	"create, alter and drop their policies but not rename them.\n\n" +
	"**Drift and formatting.** PostgreSQL does not keep the text of an expression, only its parse tree, and " +
	"prints it back in its own form: `mentee_id = auth.uid()` is stored as `(mentee_id = auth.uid())`, " +
	"`role = 'mentee'` as `(role = 'mentee'::text)`. When a policy is new or its expressions changed, the " +
	"provider lets the same server normalise them: inside a transaction that is always rolled back it copies the " +
	"table's shape into a temporary table (`CREATE TEMP TABLE ... (LIKE ...)`, an `ACCESS SHARE` lock only, so " +
	"a plan never waits for application traffic or blocks it), creates the policy there and reads `pg_get_expr` " +
	"back. An expression whose text is the one last applied is not normalised again: its stored form is " +
	"remembered, so a plan with no policy change sends no normalising statement at all. The refresh reads what " +
	"the database stores (`using_normalized`, `with_check_normalized`), so an expression changed in the " +
	"Supabase dashboard shows as an update. Text that differs only in spacing, case, comments or redundant " +
	"parentheses plans no change. (An imported policy is normalised at each plan until it is first applied; a " +
	"whole-row reference to the table in an expression cannot be normalised on the copy.)\n\n" +
	"**Names in expressions** resolve with `search_path` set to the table's schema, then `public`, then " +
	"`extensions`, whatever the connecting role's own setting; expressions are printed with the same path, so " +
	"names in those schemas appear unqualified.\n\n" +
	"**Parallel applies.** Writes to one table's policies are serialised, inside the provider and across " +
	"processes (`pg_advisory_xact_lock`), so many policies on one table apply with Terraform's default " +
	"parallelism.\n\n" +
	"**Plan-time checks.** `with_check` on a `SELECT` or `DELETE` policy and `using` on an `INSERT` policy are " +
	"errors, as are a policy on a table that does not exist, an unknown role, column or function, when the " +
	"database is reachable at plan time. A role that has no privilege for the policy's command on the table " +
	"(Supabase grants new tables to none of its API roles) is a warning: the policy does nothing for it until " +
	"an `officehours_table_grant` grants it.\n\n" +
	"**Table created in the same apply.** When a migration creates the table in the same apply, the table " +
	"check would fail the plan. Take `table` from a value known only after the migrations ran: one " +
	"`terraform_data` per table, `resource \"terraform_data\" \"bookings_table\" { input = \"bookings\", " +
	"depends_on = [officehours_database_migrations.schema] }`, and `table = terraform_data.bookings_table.output`. " +
	"When that resource is first created, the check and the normalisation wait for the apply; afterwards its " +
	"output is known and plans compare as usual."

func (r *policyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ident := []validator.String{pgident.IdentValidator{}}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Import ID `<schema>/<table>/<name>`. Inside each part, `%` is written `%25`, `/` " +
					"`%2F` and control characters `%XX`; spaces, dots and quotes stay as they are.",
			},
			"schema": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("public"),
				MarkdownDescription: "Schema of the table. Default `public`. Changing it replaces the policy.",
				Validators:          ident, PlanModifiers: replace,
			},
			"table": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Table the policy applies to. Changing it replaces the policy.",
				Validators:          ident, PlanModifiers: replace,
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Policy name, unique per table. Any characters but NUL, at most 63 bytes. " +
					"Renaming uses `ALTER POLICY ... RENAME TO`.",
				Validators: ident,
			},
			"command": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(string(policysql.CommandAll)),
				MarkdownDescription: "Command the policy applies to: `ALL` (default), `SELECT`, `INSERT`, `UPDATE` or " +
					"`DELETE`. Changing it replaces the policy.",
				Validators:    []validator.String{stringvalidator.OneOf(policysql.Commands...)},
				PlanModifiers: replace,
			},
			"permissive": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "`true` (default) for `AS PERMISSIVE`: a row is allowed when any permissive " +
					"policy allows it. `false` for `AS RESTRICTIVE`: every restrictive policy must also allow it. " +
					"Changing it replaces the policy.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"roles": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				MarkdownDescription: "Roles the policy applies to, for example `[\"authenticated\"]`. Omitted or empty " +
					"means `PUBLIC` (every role), which the database reports as `[\"public\"]`; `\"PUBLIC\"` in any " +
					"case means the same. Other names are exact (case-sensitive) role names.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(ident...)},
			},
			"using": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`USING` expression: which existing rows the policy lets a role see, update or " +
					"delete. Any SQL boolean expression, written as you like; it is kept as written. Not allowed " +
					"for `INSERT`.",
			},
			"with_check": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`WITH CHECK` expression: which new or updated rows the policy accepts. Not " +
					"allowed for `SELECT` and `DELETE`. For `ALL` and `UPDATE` policies without it, PostgreSQL uses " +
					"`using` for new rows too.",
			},
			"using_normalized": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`using` as PostgreSQL stores and prints it (`pg_get_expr`). A change here in a " +
					"plan, with `using` unchanged, means the database differs from the configuration, for example " +
					"after an edit in the Supabase dashboard.",
			},
			"with_check_normalized": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`with_check` as PostgreSQL stores and prints it; see `using_normalized`.",
			},
		},
	}
}
