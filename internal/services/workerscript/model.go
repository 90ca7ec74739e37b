package workerscript

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type scriptModel struct {
	ID                   types.String `tfsdk:"id"`
	Name                 types.String `tfsdk:"name"`
	MainModule           types.String `tfsdk:"main_module"`
	Modules              types.List   `tfsdk:"modules"`
	ContentSHA256        types.String `tfsdk:"content_sha256"`
	CompatibilityDate    types.String `tfsdk:"compatibility_date"`
	CompatibilityFlags   types.Set    `tfsdk:"compatibility_flags"`
	Vars                 types.Map    `tfsdk:"vars"`
	JSONVars             types.Map    `tfsdk:"json_vars"`
	KVNamespaces         types.Map    `tfsdk:"kv_namespaces"`
	DurableObjects       types.Map    `tfsdk:"durable_object_bindings"`
	DurableObjectClasses types.Map    `tfsdk:"durable_object_classes"`
	AllowClassDeletion   types.Bool   `tfsdk:"allow_durable_object_deletion"`
	Deploy               types.Bool   `tfsdk:"deploy"`
	Etag                 types.String `tfsdk:"etag"`
	MigrationTag         types.String `tfsdk:"migration_tag"`
	VersionID            types.String `tfsdk:"version_id"`
}

type doBindingModel struct {
	ClassName  types.String `tfsdk:"class_name"`
	ScriptName types.String `tfsdk:"script_name"`
}

type doClassModel struct {
	Storage     types.String `tfsdk:"storage"`
	RenamedFrom types.String `tfsdk:"renamed_from"`
}

var (
	doBindingType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"class_name": types.StringType, "script_name": types.StringType,
	}}
	doClassType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"storage": types.StringType, "renamed_from": types.StringType,
	}}
)

const (
	storageSQLite   = "sqlite"
	storageKeyValue = "key_value"
)

// sameInputs reports whether two models configure the same script; the
// computed results, the write-only paths and the deletion opt-in (which
// changes nothing by itself) are left out.
func sameInputs(a, b scriptModel) bool {
	return a.Name.Equal(b.Name) && a.ContentSHA256.Equal(b.ContentSHA256) &&
		a.CompatibilityDate.Equal(b.CompatibilityDate) && a.CompatibilityFlags.Equal(b.CompatibilityFlags) &&
		a.Vars.Equal(b.Vars) && a.JSONVars.Equal(b.JSONVars) && a.KVNamespaces.Equal(b.KVNamespaces) &&
		a.DurableObjects.Equal(b.DurableObjects) && a.DurableObjectClasses.Equal(b.DurableObjectClasses)
}
