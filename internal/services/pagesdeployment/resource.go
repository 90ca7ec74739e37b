// Package pagesdeployment is the officehours_pages_deployment resource: a
// built site deployed to a Pages project by direct upload.
package pagesdeployment

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesmanifest"
)

var (
	_ resource.ResourceWithConfigure   = (*deploymentResource)(nil)
	_ resource.ResourceWithImportState = (*deploymentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*deploymentResource)(nil)
)

type deploymentResource struct{ clients.ResourceBase }

// NewResource is the officehours_pages_deployment factory.
func NewResource() resource.Resource { return &deploymentResource{} }

func (r *deploymentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pages_deployment"
}

// privateKey holds the manifest (path => hash) of the last upload, against
// which the plan counts the files added, changed and removed.
const privateKey = "manifest"

type privateGetter interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

func lastManifest(ctx context.Context, p privateGetter) map[string]string {
	data, _ := p.GetKey(ctx, privateKey)
	var m map[string]string
	_ = json.Unmarshal(data, &m) // none yet, or unreadable: counted from nothing
	return m
}

// readSite reads the configured directory, saying what is wrong with it.
func readSite(dir string, diags *diag.Diagnostics) *pagesmanifest.Site {
	site, err := pagesmanifest.Read(dir, 0)
	if err != nil {
		diags.AddAttributeError(path.Root("directory"), "Cannot deploy the directory",
			fmt.Sprintf("Reading the site in %s failed: %s. Point directory at the build output (for example apps/web/dist).", dir, err))
		return nil
	}
	if site.Functions != "" {
		diags.AddAttributeError(path.Root("directory"), "Pages Functions are not deployed by this resource",
			fmt.Sprintf("%s holds %s, which wrangler builds into a Worker; this resource deploys static files. Deploy API code as an "+
				"officehours_worker_script, or leave %s out of the build output.", dir, site.Functions, site.Functions))
		return nil
	}
	return site
}

func (r *deploymentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Directory.IsUnknown() {
		return
	}
	site := readSite(plan.Directory.ValueString(), &resp.Diagnostics)
	if site == nil {
		return
	}
	plan.ContentSHA256 = types.StringValue(contentHash(site))
	plan.FileCount = types.Int64Value(int64(len(site.Files)))
	changes := pagesmanifest.Compare(lastManifest(ctx, req.Private), site.Manifest())
	if !plan.RollbackTo.IsNull() {
		changes = pagesmanifest.Changes{} // nothing is uploaded
	}

	redeploy := true
	if !req.State.Raw.IsNull() {
		var state deploymentModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		stale := state.Environment.ValueString() == "production" && !state.ServesProduction.ValueBool()
		if stale {
			resp.Diagnostics.AddWarning("Pages deployment no longer serves production",
				fmt.Sprintf("Project %q serves another deployment than %s: one was made or rolled back outside Terraform. "+
					"Applying deploys the configuration again.", state.ProjectName.ValueString(), state.ID.ValueString()))
		}
		redeploy = stale || !plan.ContentSHA256.Equal(state.ContentSHA256) || !plan.Branch.Equal(state.Branch) ||
			!plan.CommitHash.Equal(state.CommitHash) || !plan.CommitMessage.Equal(state.CommitMessage) || !plan.RollbackTo.Equal(state.RollbackTo)
		if !redeploy {
			plan.ID, plan.Environment, plan.URL, plan.AliasURL, plan.ServesProduction = state.ID, state.Environment, state.URL, state.AliasURL, state.ServesProduction
			plan.FilesAdded, plan.FilesChanged, plan.FilesRemoved = state.FilesAdded, state.FilesChanged, state.FilesRemoved
		}
	}
	if redeploy {
		plan.ID, plan.Environment, plan.URL, plan.AliasURL = types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
		plan.ServesProduction = types.BoolUnknown()
		plan.FilesAdded, plan.FilesChanged, plan.FilesRemoved = types.Int64Value(int64(changes.Added)), types.Int64Value(int64(changes.Changed)), types.Int64Value(int64(changes.Removed))
		if !plan.RollbackTo.IsNull() && !plan.ProjectName.IsUnknown() {
			r.checkRollbackTarget(ctx, plan, &resp.Diagnostics)
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkRollbackTarget checks at plan time that rollback_to is a production
// deployment of the project.
func (r *deploymentResource) checkRollbackTarget(ctx context.Context, m deploymentModel, diags *diag.Diagnostics) {
	cf, d := r.Clients.CloudflareAccount()
	if d.HasError() {
		return // reported at apply
	}
	project, id := m.ProjectName.ValueString(), m.RollbackTo.ValueString()
	target, err := clients.Get[apiDeployment](ctx, cf, projectPath(cf, project, "deployments", id), nil)
	switch {
	case clients.IsGone(err):
		diags.AddAttributeError(path.Root("rollback_to"), "No such Pages deployment",
			fmt.Sprintf("Project %q has no deployment %s. List them with `wrangler pages deployment list --project-name %s`.", project, id, project))
	case err != nil:
		diags.AddAttributeError(path.Root("rollback_to"), "Cannot check the Pages deployment", fmt.Sprintf("Reading deployment %s of project %q failed: %s", id, project, err))
	case target.Environment != "production":
		diags.AddAttributeError(path.Root("rollback_to"), "Not a production deployment",
			fmt.Sprintf("Deployment %s of project %q is a %s deployment; Cloudflare rolls back to production deployments only.", id, project, target.Environment))
	}
}

func (r *deploymentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.apply(ctx, &plan, &resp.Diagnostics, resp.Private)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *deploymentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !plan.ID.IsUnknown() {
		// Only the directory's path changed: nothing to deploy.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.apply(ctx, &plan, &resp.Diagnostics, resp.Private)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

type privateSetter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// apply rolls back to rollback_to, or uploads the directory and deploys it.
func (r *deploymentResource) apply(ctx context.Context, m *deploymentModel, diags *diag.Diagnostics, private privateSetter) {
	cf, d := r.Clients.CloudflareAccount()
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	project := m.ProjectName.ValueString()
	if !m.RollbackTo.IsNull() {
		var out apiDeployment
		err := cf.Write(ctx, clients.Call{Method: http.MethodPost, Path: projectPath(cf, project, "deployments", m.RollbackTo.ValueString(), "rollback")}, &out)
		if err != nil {
			diags.AddAttributeError(path.Root("rollback_to"), "Cannot roll back Pages project",
				fmt.Sprintf("Rolling project %q back to deployment %s failed: %s", project, m.RollbackTo.ValueString(), err))
			return
		}
		m.fromAPI(out)
		m.ServesProduction = types.BoolValue(true)
		return
	}
	site := readSite(m.Directory.ValueString(), diags)
	if site == nil {
		return
	}
	if hash := contentHash(site); hash != m.ContentSHA256.ValueString() {
		diags.AddAttributeError(path.Root("directory"), "Site changed since plan",
			fmt.Sprintf("The files in %s hash to %s now but %s when the plan was made. Plan again.", m.Directory.ValueString(), hash, m.ContentSHA256.ValueString()))
		return
	}
	u := &uploader{cf: cf, project: project}
	sent, err := u.upload(ctx, site)
	if err == nil {
		tflog.Info(ctx, "Pages files uploaded", map[string]any{"project": project, "files": len(site.Files), "uploaded": sent})
		var out apiDeployment
		if out, err = create(ctx, cf, project, site, m); err == nil {
			out, err = waitDeployed(ctx, cf, project, out)
			m.fromAPI(out)
		}
	}
	switch {
	case clients.IsGone(err):
		diags.AddAttributeError(path.Root("project_name"), "Pages project not found",
			fmt.Sprintf("Deploying to project %q failed: %s. Create it first (reference officehours_pages_project.<name>.name in project_name).", project, err))
		return
	case err != nil:
		diags.AddError("Cannot deploy to Pages", fmt.Sprintf("Deploying %s to project %q failed: %s", m.Directory.ValueString(), project, err))
		return
	}
	m.ServesProduction = types.BoolValue(m.Environment.ValueString() == "production")
	data, _ := json.Marshal(site.Manifest())
	diags.Append(private.SetKey(ctx, privateKey, data)...)
}

// Read costs no request of its own when the deployment serves production
// or is the newest: the project, which the project's refresh reads anyway,
// says so. Otherwise it reads the deployment.
func (r *deploymentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state deploymentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, id := state.ProjectName.ValueString(), state.ID.ValueString()
	p, err := readProjectDeployments(ctx, cf, project, true)
	var d apiDeployment
	serves := false
	switch {
	case err != nil:
	case p.Canonical != nil && p.Canonical.ID == id:
		d, serves = *p.Canonical, true
	case p.Latest != nil && p.Latest.ID == id:
		d = *p.Latest
	default:
		d, err = clients.Get[apiDeployment](ctx, cf, projectPath(cf, project, "deployments", id), nil)
	}
	switch {
	case clients.IsGone(err):
		tflog.Info(ctx, "Pages deployment no longer exists; planning a new one", map[string]any{"project": project, "id": id})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read Pages deployment", fmt.Sprintf("Reading deployment %s of project %q failed: %s", id, project, err))
		return
	}
	state.fromAPI(d)
	state.ServesProduction = types.BoolValue(serves)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete deletes the deployment unless it serves production, which
// Cloudflare keeps (the project's destroy removes it) or is a rollback
// target, which other deployments of the project made.
func (r *deploymentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state deploymentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !state.RollbackTo.IsNull() {
		return
	}
	project, id := state.ProjectName.ValueString(), state.ID.ValueString()
	p, err := readProjectDeployments(ctx, cf, project, false)
	serving := ""
	if p.Canonical != nil {
		serving = p.Canonical.ID
	}
	switch {
	case clients.IsGone(err):
		return // the project is gone, and its deployments with it
	case err != nil:
		resp.Diagnostics.AddError("Cannot delete Pages deployment", fmt.Sprintf("Reading project %q failed: %s", project, err))
		return
	case serving == id:
		resp.Diagnostics.AddWarning("Pages deployment left in place",
			fmt.Sprintf("Deployment %s serves production of project %q, which Cloudflare keeps; destroying the project removes it.", id, project))
		return
	}
	if err := cf.Delete(ctx, projectPath(cf, project, "deployments", id)); err != nil {
		resp.Diagnostics.AddError("Cannot delete Pages deployment", fmt.Sprintf("Deleting deployment %s of project %q failed: %s", id, project, err))
	}
}

// ImportState takes `<project_name>/<deployment_id>`.
func (r *deploymentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, id, ok := strings.Cut(req.ID, "/")
	if !ok || project == "" || !deploymentIDRe.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected <project_name>/<deployment_id>, for example cf-office-hours/0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_name"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
