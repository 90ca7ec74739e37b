package workerscript

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// Cloudflare's codes for failed uploads.
const (
	codeKVNotFound    = 10041
	codeKVInvalid     = 10042
	codeValidation    = 10021
	codeTooLarge      = 10027
	codeDONoMigration = 10061
	codeDOBound       = 10064
	codeNotExported   = 10070
	codeMigration     = 10074
	codeTagMismatch   = 10079
)

// uploadHint says what to do about a failed upload.
func uploadHint(err error) string {
	switch {
	case clients.HasCode(err, codeDONoMigration):
		return ". A Durable Object binding names a class that is not implemented: declare a class of this script in " +
			"durable_object_classes, or check class_name and script_name of the binding."
	case clients.HasCode(err, codeKVNotFound), clients.HasCode(err, codeKVInvalid):
		return ". A KV binding names a namespace that does not exist: check kv_namespaces (reference officehours_kv_namespace ids)."
	case clients.HasCode(err, codeNotExported):
		return ". The code must export every class in durable_object_classes (export class Name ...)."
	case clients.HasCode(err, codeMigration):
		return ". The Durable Object migration conflicts with what is live; check durable_object_classes and renamed_from."
	case clients.HasCode(err, codeTagMismatch):
		return ". Another deploy kept changing the migration tag meanwhile; run apply again."
	case clients.HasCode(err, codeTooLarge):
		return ". Shrink the bundle (minify, drop source maps) below the size limit."
	case clients.HasCode(err, codeValidation):
		return ". Cloudflare rejected the script or its settings; check compatibility_date and the bindings."
	}
	return ""
}

// Read costs ReadRequests: the script's settings (bindings and
// compatibility), and its etag and migration tag from the account's script
// list, which one request serves for every script of the operation.
// Cloudflare's etag covers the code only, so the settings are read to see a
// variable or binding changed through the settings API or the dashboard.
func (r *scriptResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scriptModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	last, diags := getApplied(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	// With deploy = false what Terraform manages is the version it uploaded,
	// not what serves (the deployment resource reads that).
	versionOnly := last != nil && !state.Deploy.IsNull() && !state.Deploy.ValueBool() && state.VersionID.ValueString() != ""
	svc, err := readLive(ctx, cf, name)
	var s settings
	etag := ""
	switch {
	case err != nil:
	case versionOnly:
		etag, s, err = readVersion(ctx, cf, name, state.VersionID.ValueString())
		if clients.IsGone(err) {
			// The script exists but not the version: upload it again.
			tflog.Info(ctx, "Worker version no longer exists; planning an upload", map[string]any{"name": name, "version_id": state.VersionID.ValueString()})
			s, err = readSettings(ctx, cf, name)
		}
	default:
		etag = svc.Etag
		s, err = readSettings(ctx, cf, name)
	}
	if clients.IsGone(err) {
		tflog.Info(ctx, "Worker script no longer exists; planning re-creation", map[string]any{"name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read Worker script", fmt.Sprintf("Reading Worker %q failed: %s", name, err))
		return
	}
	resp.Diagnostics.Append(state.fromSettings(name, s)...)
	state.ID = state.Name
	state.Etag = types.StringValue(etag)
	state.MigrationTag = types.StringValue(svc.MigrationTag)
	if last == nil {
		// Imported: read what a refresh does not, once, so the configuration plans clean.
		r.readImported(ctx, cf, &state, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if last == nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKey, appliedJSON(state))...)
	}
}

// readImported fills what a refresh does not read: the code hash, the
// Durable Object classes and the deployed version.
func (r *scriptResource) readImported(ctx context.Context, cf *clients.Cloudflare, m *scriptModel, diags *diag.Diagnostics) {
	name := m.Name.ValueString()
	fail := func(what string, err error) {
		diags.AddError("Cannot import Worker script", fmt.Sprintf("Reading the %s of Worker %q failed: %s", what, name, err))
	}
	modules, err := readContent(ctx, cf, name)
	if err != nil {
		fail("code", err)
		return
	}
	classes, err := liveClasses(ctx, cf, name)
	if err != nil {
		fail("Durable Object namespaces", err)
		return
	}
	version, err := deployedVersion(ctx, cf, name)
	if err != nil {
		fail("deployments", err)
		return
	}
	diags.Append(m.fromClasses(classes)...)
	m.ContentSHA256 = types.StringValue(contentHash(modules))
	m.AllowClassDeletion = types.BoolValue(false)
	m.Deploy = types.BoolValue(true)
	m.VersionID = types.StringValue(version)
}

func (r *scriptResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scriptModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	err := cf.Delete(ctx, scriptPath(cf, name))
	switch {
	case err == nil:
	case clients.HasCode(err, codeDOBound):
		resp.Diagnostics.AddError("Cannot delete Worker script",
			fmt.Sprintf("Deleting Worker %q failed: %s. Another Worker binds its Durable Objects; remove that binding first.", name, err))
	default:
		resp.Diagnostics.AddError("Cannot delete Worker script", fmt.Sprintf("Deleting Worker %q failed: %s", name, err))
	}
}

// ImportState takes the script name.
func (r *scriptResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("name"), req, resp)
}
