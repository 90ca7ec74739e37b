// Package pagesproject is the officehours_pages_project resource.
package pagesproject

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure      = (*projectResource)(nil)
	_ resource.ResourceWithImportState    = (*projectResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*projectResource)(nil)
	_ resource.ResourceWithValidateConfig = (*projectResource)(nil)
)

type projectResource struct{ clients.ResourceBase }

// NewResource is the officehours_pages_project factory.
func NewResource() resource.Resource { return &projectResource{} }

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pages_project"
}

// apiFailure turns an API error into a diagnostic that says what was being
// done, to which project, and what to do about it.
func apiFailure(diags *diag.Diagnostics, action, name string, err error) {
	status, _ := clients.APIErrorCodes(err)
	next := "Check the error, then run terraform apply again."
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		next = "Check that the API token has the \"Cloudflare Pages: Edit\" permission on this account."
	case status == http.StatusConflict:
		next = fmt.Sprintf("A Pages project named %q already exists in this account. Import it with "+
			"`terraform import <address> %s` to manage it here, or choose another name.", name, name)
	case status == http.StatusBadRequest:
		next = "Cloudflare refused the settings: correct them in the configuration and apply again."
	case status == http.StatusNotFound:
		next = "The project no longer exists in Cloudflare; run terraform plan to re-create it."
	}
	diags.AddError(fmt.Sprintf("Cannot %s Pages project %q", action, name), fmt.Sprintf("%s\n\n%s", err, next))
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	writes := toWrite(ctx, &plan, &config, nil, &resp.Diagnostics)
	body, diags := projectBody(ctx, &plan, &config, nil, writes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	body["name"] = name

	// A name already taken is reported before creating, so that a create
	// whose answer was lost (and was retried into a 409) can be told apart.
	if existing, err := getProject(ctx, cf, name); err == nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Pages project name already taken",
			fmt.Sprintf("A Pages project named %q already exists in this account (id %s, %s). Import it with "+
				"`terraform import <address> %s` to manage it here, or choose another name.", name, existing.ID, existing.Subdomain, name))
		return
	} else if !clients.IsNotFound(err) {
		apiFailure(&resp.Diagnostics, "look up", name, err)
		return
	}
	p, err := createProject(ctx, cf, body)
	if err != nil && (clients.IsAmbiguous(err) || isConflict(err)) {
		// The name was free a moment ago, so a project with it now is the
		// one this request created before its answer was lost.
		tflog.Warn(ctx, "Pages project create answer lost; reading it back", map[string]any{"name": name, "error": err.Error()})
		if found, getErr := getProject(ctx, cf, name); getErr == nil {
			p, err = found, nil
		}
	}
	if err != nil {
		apiFailure(&resp.Diagnostics, "create", name, err)
		return
	}
	r.finishWrite(ctx, p, &plan, nil, &config, writes, fingerprints{"production": {}, "preview": {}}, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	fps, diags := loadFingerprints(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	writes := toWrite(ctx, &plan, &config, fps, &resp.Diagnostics)
	body, diags := projectBody(ctx, &plan, &config, &state, writes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "Updating Pages project", map[string]any{"name": name, "parts": len(body)})
	p, err := patchProject(ctx, cf, name, body)
	if err != nil {
		apiFailure(&resp.Diagnostics, "update", name, err)
		return
	}
	r.finishWrite(ctx, p, &plan, &state, &config, writes, fps, resp.Private, &resp.State, &resp.Diagnostics)
}

func isConflict(err error) bool {
	status, _ := clients.APIErrorCodes(err)
	return status == http.StatusConflict
}

type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

type privateSetter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// finishWrite records what a create or update wrote: the state read from
// the API's answer, the new secret revisions and their fingerprints.
func (r *projectResource) finishWrite(ctx context.Context, p *apiProject, plan, state, config *projectModel,
	writes secretWrites, fps fingerprints, private privateSetter, out stateSetter, diags *diag.Diagnostics) {
	configured := map[string][]string{}
	for env, e := range environments(config) {
		if *e != nil {
			configured[env] = keys(goMap(ctx, (*e).SecretVariables, diags))
		}
	}
	revs, err := recordWrites(fps, writes, state, configured)
	if err != nil {
		diags.AddError("Cannot fingerprint Pages secrets", fmt.Sprintf("Project %q was written, but its secrets could not be fingerprinted: %s. "+
			"The next plan will write them again.", p.Name, err))
	}
	result := *plan
	result.fromAPI(p, plan)
	applyRevisions(&result, revs)
	diags.Append(out.Set(ctx, &result)...)
	diags.Append(private.SetKey(ctx, fingerprintsKey, fps.bytes())...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	p, err := getProject(ctx, cf, name)
	if clients.IsNotFound(err) {
		tflog.Info(ctx, "Pages project no longer exists; planning re-creation", map[string]any{"name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		apiFailure(&resp.Diagnostics, "read", name, err)
		return
	}
	prior := state
	state.fromAPI(p, &prior)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := deleteProject(ctx, cf, state.Name.ValueString()); err != nil && !clients.IsNotFound(err) {
		apiFailure(&resp.Diagnostics, "delete", state.Name.ValueString(), err)
	}
}

// ImportState takes the project name. Secrets are adopted as they are in
// Cloudflare (see ModifyPlan), so the import plans clean.
func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !projectName.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import a Pages project by its name (for example `cf-office-hours`), got %q.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("name"), req, resp)
}
