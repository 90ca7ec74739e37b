package migrations

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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

var (
	digits = regexp.MustCompile(`^[0-9]+$`)
)

const resourceDescription = "Applies the Supabase migrations of a directory (`supabase/migrations`) to the provider's database, " +
	"sharing the Supabase CLI's history table, so `supabase migration list`, `supabase migration up` and `supabase db push` keep " +
	"working before and after Terraform takes over.\n\n" +
	"## Files and history\n\n" +
	"A file named `<digits>_<name>.sql` is a migration: the digits are its version, the rest its name. Versions compare as " +
	"strings, as in the CLI. Other files are ignored; a `.sql` file whose name does not match gets a warning. The history is " +
	"`supabase_migrations.schema_migrations` (`version`, `statements`, `name`), created as the CLI creates it when absent. " +
	"Hosted projects add `created_by`, `idempotency_key` and `rollback`; both shapes work, and only `version`, `name` and " +
	"`statements` are written. Statements are split and stored exactly as the Supabase CLI 3.x splits them (`;` outside " +
	"quotes, dollar quotes, comments and `BEGIN ATOMIC ... END`), verified against the CLI in the tests. Use one " +
	"`officehours_database_migrations` per database.\n\n" +
	"## Plan\n\n" +
	"The plan reads the history with one query and shows `pending` (version, name and SHA-256 of every file the apply will " +
	"run, in order), `baseline_pending` and the resulting `latest_version`. With nothing pending the plan is empty. When the " +
	"provider's database URL is only known after apply (a project created in the same run), these show as known after " +
	"apply. These stop the plan, before anything runs:\n\n" +
	"- a version in the history with no file (restore the file, or `supabase migration repair --status reverted <version>`);\n" +
	"- a file never applied that is older than the newest applied version (rename it, or set `allow_out_of_order`);\n" +
	"- an applied file whose statements differ from those stored when it ran (the message names the file, the statement " +
	"and the first differing line; put changes in a new file);\n" +
	"- two files with one version; an unterminated quote or comment; a `COMMIT`, `ROLLBACK`, `BEGIN` or `END` in a file " +
	"that runs in a transaction; a statement PostgreSQL refuses inside a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...).\n\n" +
	"## Apply\n\n" +
	"The apply opens a connection of its own and takes a session-level advisory lock (`pg_advisory_lock`), then re-reads the " +
	"history, so two applies against one database (two workspaces, CI jobs) run one after the other and never run a " +
	"migration twice. Each file runs in one transaction together with its history row, sent in one round trip. The apply " +
	"stops at the first failing file with an error naming the file, the statement and the line; that file is rolled back, " +
	"earlier files stay applied and recorded, and `latest_version` in the state says how far it got. Only files the plan " +
	"showed are applied; a planned file edited after the plan stops the apply.\n\n" +
	"The database URL must be a direct connection or Supabase's **session** pooler (port 5432). The transaction-mode pooler " +
	"(port 6543) is refused: it moves each transaction to another server connection, so the lock cannot be held.\n\n" +
	"### Files that must run outside a transaction\n\n" +
	"A file whose **first line** is exactly\n\n" +
	"```sql\n-- pg-delta: transaction=false\n```\n\n" +
	"(the Supabase CLI 3.x directive, so the CLI treats the file the same way) or `-- officehours:no-transaction` runs " +
	"statement by statement outside a transaction, and its history row is written after the last statement. Use it for " +
	"`CREATE INDEX CONCURRENTLY`, `VACUUM` and the like, alone in their own file: if a statement fails, the ones before it " +
	"stay applied and no history row is written, so write such files to be re-runnable (`IF NOT EXISTS`).\n\n" +
	"## Adopting an existing database\n\n" +
	"Set `baseline_version` to the newest version the database already has: files up to it that are not in the history are " +
	"recorded as applied without running (listed in `baseline_pending` in the plan), as `supabase migration repair --status " +
	"applied` would.\n\n" +
	"## Destroy and import\n\n" +
	"Destroying the resource only removes it from the Terraform state, with a warning: tables, data and the history table " +
	"are left as they are. Import reads the history table: `terraform import <address> <directory>`.\n\n" +
	"## Speed (measured)\n\n" +
	"`go test -run '^$' -bench 'Apply1000|Plan1000Applied|Psql1000' ./internal/migration/` on a 2-core AMD EPYC machine, " +
	"PostgreSQL 15 on loopback, 1,000 migrations of three statements each (create table, create index, insert):\n\n" +
	"| What | Time |\n|---|---|\n" +
	"| plan against 1,000 applied migrations (read the directory, one history query, compare every file) | 15 ms |\n" +
	"| apply 1,000 migrations (one round trip per file, history row in the same transaction) | 3.1 s (3.1 ms per migration) |\n" +
	"| the same files through `psql --single-transaction -f` one by one | 37.9 s (37.9 ms per migration) |\n"

func (r *migrationsResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: resourceDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Always `" + resourceID + "`: the resource stands for the database's migration history.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"directory": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Directory of the migration files, usually `supabase/migrations`. A relative path is relative " +
					"to the directory Terraform runs in; `\"${path.module}/supabase/migrations\"` is independent of it.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"baseline_version": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Adopt a database migrated without a history (or with part of it): files with a version up to " +
					"this one (compared as strings) that are not in the history are recorded as applied without running. Digits only.",
				Validators: []validator.String{stringvalidator.RegexMatches(digits, "must be a migration version: digits only")},
			},
			"ignore_files": ignoreFilesAttribute(),
			"allow_out_of_order": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Apply files that were never applied although they are older than the newest applied version " +
					"(the Supabase CLI's `--include-all`). Default `false`: such files stop the plan.",
			},
			"timeouts": operationTimeouts(ctx),
			"pending": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "In a plan: the migrations the apply will run, in order (left as in the state when nothing " +
					"is pending, so such a plan is empty). In the state: the ones the last apply ran, until a refresh empties the " +
					"list (they are then in the history); empty after an apply that failed part-way, so the next plan lists what is " +
					"still to run.",
				NestedObject: migrationObject(),
			},
			"baseline_pending": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Like `pending`, for the files `baseline_version` records as applied without running them.",
				NestedObject:        migrationObject(),
			},
			"latest_version": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Newest version in the history: in a plan, once the apply has run; in the state, what the " +
					"database has (after a failed apply, the last file that did apply). Null while the history is empty.",
			},
		},
	}
}

// operationTimeouts is terraform-plugin-framework-timeouts' attribute.
func operationTimeouts(ctx context.Context) schema.Attribute {
	a := timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Read: true}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long operations may take, as durations such as `\"90s\"` or `\"30m\"`: `create` (the first " +
		"apply, default `20m`), `update` (later applies, default `20m`), `read` (reading the history at plan and refresh, " +
		"default `2m`). Waiting for another apply's lock counts."
	return a
}

func migrationObject() schema.NestedAttributeObject {
	return schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
		"version": schema.StringAttribute{Computed: true, MarkdownDescription: "Version: the digits before the first `_` of the file name."},
		"name":    schema.StringAttribute{Computed: true, MarkdownDescription: "Name: the rest of the file name without `.sql`."},
		"hash":    schema.StringAttribute{Computed: true, MarkdownDescription: "SHA-256 of the file's content, hex."},
	}}
}

// ignoreFiles describes and validates ignore_files (resource and data source).
const ignoreFilesDescription = "File names in `directory` to pass over on purpose. Any other `.sql` file whose name is not " +
	"`<digits>_<name>.sql` stops the plan: the Supabase CLI skips such a file silently, so what it creates would " +
	"never reach the database (for example `20250302000000-slots.sql` needs renaming to `20250302000000_slots.sql`)."

var ignoreFilesValidators = []validator.Set{setvalidator.ValueStringsAre(
	stringvalidator.RegexMatches(regexp.MustCompile(`^[^/\\]+$`), "must be a file name, without a directory"))}

func ignoreFilesAttribute() schema.SetAttribute {
	return schema.SetAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: ignoreFilesDescription, Validators: ignoreFilesValidators}
}
