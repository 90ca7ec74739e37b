// Package workersecret is the officehours_worker_secret resource.
package workersecret

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

var (
	_ resource.ResourceWithConfigure   = (*secretResource)(nil)
	_ resource.ResourceWithImportState = (*secretResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*secretResource)(nil)
)

// codeLatestNotDeployed: a newer version than the deployed one exists (a
// rollback happened), and a secret change would deploy over it.
const codeLatestNotDeployed = 10215

type secretResource struct{ clients.ResourceBase }

// NewResource is the officehours_worker_secret factory.
func NewResource() resource.Resource { return &secretResource{} }

func (r *secretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_secret"
}

func secretPath(cf *clients.Cloudflare, script string, name ...string) string {
	return cf.Account(append([]string{"workers", "scripts", script, "secrets"}, name...)...)
}

// put writes the value from the configuration (the only place it exists)
// and returns it, for fingerprinting.
func (r *secretResource) put(ctx context.Context, config tfsdk.Config, m *secretModel, diags *diag.Diagnostics) string {
	cf, d := r.Clients.CloudflareAccount()
	diags.Append(d...)
	var value types.String
	diags.Append(config.GetAttribute(ctx, path.Root("value_wo"), &value)...)
	if diags.HasError() {
		return ""
	}
	if value.IsUnknown() || value.IsNull() {
		diags.AddAttributeError(path.Root("value_wo"), "Secret value unknown", "value_wo must be known at apply time.")
		return ""
	}
	script, name := m.ScriptName.ValueString(), m.Name.ValueString()
	// The body of wrangler secret put (secret/index.ts) and cloudflare-go v7
	// ScriptSecretUpdateParams.
	body := map[string]string{"name": name, "text": value.ValueString(), "type": "secret_text"}
	err := cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: secretPath(cf, script), JSON: body}, nil)
	switch {
	case err == nil:
	case clients.IsGone(err):
		diags.AddAttributeError(path.Root("script_name"), "Cannot set Worker secret",
			fmt.Sprintf("Worker %q does not exist. Create it first (reference officehours_worker_script.<name>.name in script_name so Terraform orders them).", script))
	case clients.HasCode(err, codeLatestNotDeployed):
		diags.AddError("Cannot set Worker secret",
			fmt.Sprintf("Setting secret %s of Worker %q failed: %s. The latest version of the Worker does not serve all "+
				"traffic (it was uploaded with deploy = false, a gradual deployment is under way, or the Worker was rolled "+
				"back), and Cloudflare refuses a secret change, which would deploy over it. Finish the release first "+
				"(officehours_worker_deployment or `wrangler versions deploy` at 100 %% of the latest version), then apply again.", name, script, err))
	default:
		diags.AddError("Cannot set Worker secret", fmt.Sprintf("Setting secret %s of Worker %q failed: %s", name, script, err))
	}
	m.ID = types.StringValue(script + "/" + name)
	return value.ValueString()
}

// written records a write: the new revision in m, the value's fingerprint
// in the private state.
func written(ctx context.Context, m *secretModel, revision int64, value string, private writeonly.PrivateSetter, diags *diag.Diagnostics) {
	m.Revision = types.Int64Value(revision)
	record := writeonly.New(fingerprintKey) // the one value replaces what was recorded
	if err := record.Written(valueName, value); err != nil {
		// The secret is written; without a fingerprint a later change of
		// value_wo goes unnoticed until value_wo_version is bumped.
		diags.AddWarning("Cannot fingerprint Worker secret",
			fmt.Sprintf("Secret %s was written, but it could not be fingerprinted (%s); bump value_wo_version to write a new value.", m.Name.ValueString(), err))
		return
	}
	diags.Append(record.Save(ctx, private)...)
}

func (r *secretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan secretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	value := r.put(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	written(ctx, &plan, 1, value, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Update runs when the value must be written again (ModifyPlan planned the
// revision unknown): the value or value_wo_version changed.
func (r *secretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state secretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	value := r.put(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	written(ctx, &plan, state.Revision.ValueInt64()+1, value, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *secretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state secretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	script, name := state.ScriptName.ValueString(), state.Name.ValueString()
	err := readSecret(ctx, cf, script, name)
	if clients.IsGone(err) { // the secret (10056) or the whole script (10007)
		tflog.Info(ctx, "Worker secret no longer exists; planning re-creation", map[string]any{"script": script, "name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read Worker secret", fmt.Sprintf("Reading secret %s of Worker %q failed: %s", name, script, err))
		return
	}
	state.ID = types.StringValue(script + "/" + name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readSecret is a refresh: a secret is a secret_text binding of its script,
// and the script's settings list every binding by name and type (wrangler's
// `secret bulk` reads them so, workers-sdk PR 4179). The settings are read
// once per operation for the script and all its secrets
// (officehours_worker_script reads the same answer); a secret they lack is
// read directly, which tells a missing secret from one newer than the
// settings.
func readSecret(ctx context.Context, cf *clients.Cloudflare, script, name string) error {
	raw, err := clients.SharedGet[json.RawMessage](ctx, cf, cf.Account("workers", "scripts", script, "settings"), nil)
	if err == nil {
		var s struct {
			Bindings []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"bindings"`
		}
		if json.Unmarshal(raw, &s) == nil {
			for _, b := range s.Bindings {
				if b.Name == name && b.Type == "secret_text" {
					return nil
				}
			}
		}
	}
	return cf.Do(ctx, clients.Call{Method: http.MethodGet, Path: secretPath(cf, script, name)}, nil)
}

func (r *secretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state secretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	script, name := state.ScriptName.ValueString(), state.Name.ValueString()
	err := cf.Delete(ctx, secretPath(cf, script, name))
	switch {
	case err == nil:
	case clients.HasCode(err, codeLatestNotDeployed):
		// Refusing would block every destroy of a Worker in mid-release
		// (secrets go before their Worker); the secret goes with the
		// Worker, or with the next secret change once the release is done.
		resp.Diagnostics.AddWarning("Worker secret left in place",
			fmt.Sprintf("Cloudflare refused to delete secret %s of Worker %q: %s. The latest version of the Worker does not "+
				"serve all traffic (a release is under way or it was rolled back). The secret stays in the versions that have it "+
				"until the Worker is deleted; to remove it now, finish the release and run `wrangler secret delete %s --name %s`.",
				name, script, err, name, script))
	default:
		resp.Diagnostics.AddError("Cannot delete Worker secret", fmt.Sprintf("Deleting secret %s of Worker %q failed: %s", name, script, err))
	}
}

// ImportState takes `<script_name>/<secret_name>`.
func (r *secretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	script, name, ok := strings.Cut(req.ID, "/")
	if !ok || script == "" || name == "" || strings.Contains(name, "/") {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected <script_name>/<secret_name>, for example cf-office-hours-api-production/JWT_SECRET; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("script_name"), script)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	// Adopted: Terraform has not written it, and has no fingerprint of it.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("revision"), int64(0))...)
}
