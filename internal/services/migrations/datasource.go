package migrations

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

var _ datasource.DataSourceWithConfigure = (*migrationsDataSource)(nil)

type migrationsDataSource struct{ clients.DataSourceBase }

// NewDataSource is the officehours_database_migrations data source factory.
func NewDataSource() datasource.DataSource { return &migrationsDataSource{} }

type dataModel struct {
	Directory       types.String `tfsdk:"directory"`
	IgnoreFiles     types.Set    `tfsdk:"ignore_files"`
	AppliedVersions types.List   `tfsdk:"applied_versions"`
	PendingVersions types.List   `tfsdk:"pending_versions"`
	MissingFiles    types.List   `tfsdk:"missing_files"`
	LatestVersion   types.String `tfsdk:"latest_version"`
}

func (d *migrationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_database_migrations"
}

func (d *migrationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reports the migration state of the provider's database against a migrations directory: what " +
			"`supabase_migrations.schema_migrations` records (one query) and which files are not applied yet. It only reads; " +
			"use it for outputs, checks and `precondition`s (for example that an environment is fully migrated).",
		Attributes: map[string]schema.Attribute{
			"ignore_files": schema.SetAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: ignoreFilesDescription, Validators: ignoreFilesValidators},
			"directory": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Directory of the migration files, usually `supabase/migrations`.",
			},
			"applied_versions": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Versions in the history table, oldest first (compared as strings).",
			},
			"pending_versions": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Versions of files not in the history table, oldest first, including any older than " +
					"`latest_version` (which `officehours_database_migrations` applies only with `allow_out_of_order`).",
			},
			"missing_files": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Versions in the history table that have no file in `directory`. Non-empty means the " +
					"directory is not the one this database was migrated from (see the resource's documentation).",
			},
			"latest_version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Newest version in the history table; null when it is empty or absent.",
			},
		},
	}
}

func (d *migrationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dir := m.Directory.ValueString()
	files, _, diags := readDir(ctx, "data.officehours_database_migrations", dir, m.IgnoreFiles)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pool, diags := d.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	history, err := migration.ReadHistory(ctx, pool)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the migration history", fmt.Sprintf("data.officehours_database_migrations: %s.", err))
		return
	}
	applied := map[string]bool{}
	local := map[string]bool{}
	appliedVersions, pending, missing := []string{}, []string{}, []string{}
	for _, r := range history {
		applied[r.Version] = true
		appliedVersions = append(appliedVersions, r.Version)
	}
	for _, f := range files {
		local[f.Version] = true
		if !applied[f.Version] {
			pending = append(pending, f.Version)
		}
	}
	for _, v := range appliedVersions {
		if !local[v] {
			missing = append(missing, v)
		}
	}
	m.AppliedVersions, diags = types.ListValueFrom(ctx, types.StringType, appliedVersions)
	resp.Diagnostics.Append(diags...)
	m.PendingVersions, diags = types.ListValueFrom(ctx, types.StringType, pending)
	resp.Diagnostics.Append(diags...)
	m.MissingFiles, diags = types.ListValueFrom(ctx, types.StringType, missing)
	resp.Diagnostics.Append(diags...)
	m.LatestVersion = versionValue(latestApplied(history))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
