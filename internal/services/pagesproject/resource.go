// Package pagesproject is the officehours_pages_project resource.
package pagesproject

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
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
	status := clients.StatusOf(err)
	next := "Check the error, then run terraform apply again."
	switch status {
	case http.StatusConflict:
		next = fmt.Sprintf("A Pages project named %q already exists in this account. Import it with "+
			"`terraform import <address> %s` to manage it here, or choose another name.", name, name)
	case http.StatusBadRequest:
		next = "Cloudflare refused the settings: correct them in the configuration and apply again."
	case http.StatusNotFound:
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
	record := writeonly.New(fingerprintsKey)
	writes := toWrite(ctx, &plan, &config, record, &resp.Diagnostics)
	body, diags := projectBody(ctx, &plan, &config, nil, writes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	body["name"] = name

	// Project names are unique in an account, so after a lost answer a
	// project with the name is the one this request created.
	p, err := clients.Create(ctx,
		func(ctx context.Context) (*apiProject, error) { return createProject(ctx, cf, body) },
		func(ctx context.Context) (*apiProject, bool, error) {
			found, err := getProject(ctx, cf, name)
			if clients.IsGone(err) {
				return nil, false, nil
			}
			return found, err == nil, err
		},
		isConflict,
	)
	if isConflict(err) {
		detail := fmt.Sprintf("A Pages project named %q already exists in this account", name)
		if existing, getErr := getProject(ctx, cf, name); getErr == nil {
			detail += fmt.Sprintf(" (id %s, %s)", existing.ID, existing.Subdomain)
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Pages project name already taken",
			detail+fmt.Sprintf(". Import it with `terraform import <address> %s` to manage it here, or choose another name.", name))
		return
	}
	if err != nil {
		apiFailure(&resp.Diagnostics, "create", name, err)
		return
	}
	r.finishWrite(ctx, p, &plan, nil, &config, writes, record, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	record, diags := writeonly.Load(ctx, req.Private, fingerprintsKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	writes := toWrite(ctx, &plan, &config, record, &resp.Diagnostics)
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
	r.finishWrite(ctx, p, &plan, &state, &config, writes, record, resp.Private, &resp.State, &resp.Diagnostics)
}

func isConflict(err error) bool { return clients.StatusOf(err) == http.StatusConflict }

type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

// finishWrite records what a create or update wrote: the state read from
// the API's answer, the new secret revisions and their fingerprints.
func (r *projectResource) finishWrite(ctx context.Context, p *apiProject, plan, state, config *projectModel,
	writes secretWrites, record *writeonly.Record, private writeonly.PrivateSetter, out stateSetter, diags *diag.Diagnostics) {
	configured := map[string][]string{}
	for env, e := range environments(config) {
		if *e != nil {
			configured[env] = slices.Sorted(maps.Keys(goMap(ctx, (*e).SecretVariables, diags)))
		}
	}
	revs, err := recordWrites(record, writes, state, configured)
	if err != nil {
		diags.AddError("Cannot fingerprint Pages secrets", fmt.Sprintf("Project %q was written, but its secrets could not be fingerprinted: %s. "+
			"The next plan will write them again.", p.Name, err))
	}
	result := *plan
	result.fromAPI(p, plan)
	applyRevisions(&result, revs)
	diags.Append(out.Set(ctx, &result)...)
	diags.Append(record.Save(ctx, private)...)
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
	p, err := readProject(ctx, cf, name)
	if clients.IsGone(err) {
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
	removed, err := deleteProject(ctx, cf, state.Name.ValueString())
	if len(removed) > 0 {
		resp.Diagnostics.AddWarning("Custom domains removed with the Pages project",
			fmt.Sprintf("Pages project %q still had the custom domains %s, which no officehours_pages_domain of this "+
				"configuration manages (added in the dashboard, or left by an apply whose wait failed). Cloudflare deletes "+
				"no project with domains (code %d), and a domain cannot outlive its project, so they were removed first. "+
				"Their DNS records are left as they are.", state.Name.ValueString(), strings.Join(removed, ", "), codeHasDomains))
	}
	if err != nil {
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
