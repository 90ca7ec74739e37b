package migrations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

// resourceID is the id of every instance: the resource stands for the
// database's migration history, of which there is one.
const resourceID = "supabase_migrations.schema_migrations"

// Timeouts when the configuration sets none.
const (
	defaultApplyTimeout = 20 * time.Minute
	defaultReadTimeout  = 2 * time.Minute
)

type migrationsModel struct {
	ID              types.String   `tfsdk:"id"`
	Directory       types.String   `tfsdk:"directory"`
	BaselineVersion types.String   `tfsdk:"baseline_version"`
	IgnoreFiles     types.Set      `tfsdk:"ignore_files"`
	AllowOutOfOrder types.Bool     `tfsdk:"allow_out_of_order"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
	Pending         types.List     `tfsdk:"pending"`
	BaselinePending types.List     `tfsdk:"baseline_pending"`
	LatestVersion   types.String   `tfsdk:"latest_version"`
}

// migrationAttrTypes is one element of pending and baseline_pending.
var migrationAttrTypes = map[string]attr.Type{
	"version": types.StringType,
	"name":    types.StringType,
	"hash":    types.StringType,
}

var migrationObjectType = types.ObjectType{AttrTypes: migrationAttrTypes}

func (m *migrationsModel) options() migration.Options {
	return migration.Options{AllowOutOfOrder: m.AllowOutOfOrder.ValueBool(), Baseline: m.BaselineVersion.ValueString()}
}

// fileList is the value of pending or baseline_pending.
func fileList(files []migration.File) types.List {
	elems := make([]attr.Value, len(files))
	for i, f := range files {
		elems[i] = types.ObjectValueMust(migrationAttrTypes, map[string]attr.Value{
			"version": types.StringValue(f.Version),
			"name":    types.StringValue(f.Name),
			"hash":    types.StringValue(f.Hash),
		})
	}
	return types.ListValueMust(migrationObjectType, elems)
}

func emptyList() types.List { return types.ListValueMust(migrationObjectType, []attr.Value{}) }

func unknownList() types.List { return types.ListUnknown(migrationObjectType) }

// expected maps version to hash for the planned files, or nil when the
// plan could not know them (database URL unknown at plan time).
func (m *migrationsModel) expected(ctx context.Context) (map[string]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.Pending.IsUnknown() || m.BaselinePending.IsUnknown() || m.Pending.IsNull() {
		return nil, diags
	}
	out := map[string]string{}
	for _, l := range []types.List{m.Pending, m.BaselinePending} {
		var elems []struct {
			Version types.String `tfsdk:"version"`
			Name    types.String `tfsdk:"name"`
			Hash    types.String `tfsdk:"hash"`
		}
		diags.Append(l.ElementsAs(ctx, &elems, false)...)
		for _, e := range elems {
			out[e.Version.ValueString()] = e.Hash.ValueString()
		}
	}
	return out, diags
}

// versionValue is a version, or null for none.
func versionValue(v string) types.String {
	if v == "" {
		return types.StringNull()
	}
	return types.StringValue(v)
}

// latestApplied is the newest version in the history.
func latestApplied(history []migration.HistoryRow) string {
	latest := ""
	for _, r := range history {
		latest = max(latest, r.Version)
	}
	return latest
}

// ignored lists the ignore_files names.
func ignored(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	var out []string
	diags := set.ElementsAs(ctx, &out, false)
	return out, diags
}

// readDir reads the migrations directory, with a diagnostic on directory
// that names each file the Supabase CLI would skip and how to resolve it.
func readDir(ctx context.Context, who, dir string, ignore types.Set) ([]migration.File, []string, diag.Diagnostics) {
	names, diags := ignored(ctx, ignore)
	files, notes, err := migration.ReadDir(dir, names)
	var bad *migration.BadNamesError
	switch {
	case errors.As(err, &bad):
		diags.AddAttributeError(path.Root("directory"), "Migration file would be skipped",
			fmt.Sprintf("%s: %s. Rename it (for example %s), or list it in ignore_files to pass it over on purpose.", who, err, suggestedName(bad.Files[0])))
	case err != nil:
		diags.AddAttributeError(path.Root("directory"), "Cannot read the migrations", who+": "+err.Error()+".")
	}
	return files, notes, diags
}

// suggestedName turns 20250302000000-slots.sql into 20250302000000_slots.sql.
func suggestedName(name string) string {
	base := strings.TrimSuffix(name, ".sql")
	i := 0
	for i < len(base) && base[i] >= '0' && base[i] <= '9' {
		i++
	}
	rest := strings.TrimLeft(base[i:], "-_. ")
	if i == 0 {
		return "20240101120000_" + strings.ReplaceAll(rest, "-", "_") + ".sql"
	}
	return base[:i] + "_" + strings.ReplaceAll(rest, "-", "_") + ".sql"
}
