// Package workerdeployment is the officehours_worker_deployment resource and
// the officehours_worker_versions data source: which versions of a Worker
// serve its traffic, and what versions and deployments it has.
package workerdeployment

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure      = (*deploymentResource)(nil)
	_ resource.ResourceWithImportState    = (*deploymentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*deploymentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*deploymentResource)(nil)
)

// Cloudflare's codes for deployments (the local API's workers/versions.go
// names their sources).
const (
	codeVersionNotFound = 10071
	codeSecretsChanged  = 10220
)

type deploymentResource struct{ clients.ResourceBase }

// NewResource is the officehours_worker_deployment factory.
func NewResource() resource.Resource { return &deploymentResource{} }

func (r *deploymentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_deployment"
}

func scriptPath(cf *clients.Cloudflare, script string, rest ...string) string {
	return cf.Account(append([]string{"workers", "scripts", script}, rest...)...)
}

// deployments lists the script's deployments, newest first (cloudflare-go
// v7 ScriptDeploymentService.List: "The first deployment in the list is
// the latest").
func deployments(ctx context.Context, cf *clients.Cloudflare, script string) ([]apiDeployment, error) {
	list, err := clients.Get[struct {
		Deployments []apiDeployment `json:"deployments"`
	}](ctx, cf, scriptPath(cf, script, "deployments"), nil)
	return list.Deployments, err
}

// privateKey holds the id of the deployment the last apply made (a JSON
// string); a refresh that finds another one means a deployment outside
// Terraform.
const privateKey = "applied"

func appliedJSON(id string) []byte {
	data, _ := json.Marshal(id)
	return data
}

// versionsKnown reports whether the versions list is known as a whole (a
// module computing it from its variables is not, at validate).
func versionsKnown(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics) bool {
	var list types.List
	return !get(ctx, path.Root("versions"), &list).HasError() && !list.IsUnknown()
}

func (r *deploymentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !versionsKnown(ctx, req.Config.GetAttribute) {
		return
	}
	var m deploymentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	total, seen := 0.0, map[string]bool{}
	for i, v := range m.Versions {
		if v.Percentage.IsUnknown() || v.VersionID.IsUnknown() {
			return
		}
		if id := v.VersionID.ValueString(); seen[id] {
			resp.Diagnostics.AddAttributeError(path.Root("versions").AtListIndex(i).AtName("version_id"), "Version listed twice",
				fmt.Sprintf("Version %s appears more than once in versions; list each version once with its whole share.", id))
		} else {
			seen[id] = true
		}
		total += v.Percentage.ValueFloat64()
	}
	// Within wrangler's EPSILON (versions/deploy.ts validateTrafficSubtotal).
	if math.Abs(total-100) > 0.001 {
		resp.Diagnostics.AddAttributeError(path.Root("versions"), "Percentages do not add up to 100",
			fmt.Sprintf("The percentages of versions add up to %g; every request must go to a version, so they must total "+
				"exactly 100 (for example 10 for the new version and 90 for the one serving now).", total))
	}
}

// ModifyPlan checks at plan time that each version belongs to the Worker,
// and marks what a new deployment changes as unknown.
func (r *deploymentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !versionsKnown(ctx, req.Plan.GetAttribute) {
		return // destroy, or versions known only later
	}
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	changed := req.State.Raw.IsNull()
	if !changed {
		var state deploymentModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		changed = !sameTraffic(plan.traffic(), apiDeployment{Versions: state.traffic()}) || !plan.Message.Equal(state.Message)
		if changed {
			r.warnDrift(ctx, req, state, &resp.Diagnostics)
		}
	}
	if !changed {
		return
	}
	plan.ID, plan.CreatedOn, plan.Source = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if plan.ScriptName.IsUnknown() {
		return
	}
	cf, diags := r.Clients.CloudflareAccount()
	if diags.HasError() {
		return // reported at apply, where Cloudflare is needed
	}
	script := plan.ScriptName.ValueString()
	for i, v := range plan.Versions {
		if v.VersionID.IsUnknown() {
			continue // a version uploaded in this apply
		}
		id := v.VersionID.ValueString()
		_, err := clients.Get[json.RawMessage](ctx, cf, scriptPath(cf, script, "versions", id), nil)
		switch {
		case err == nil:
		case clients.HasCode(err, codeVersionNotFound):
			resp.Diagnostics.AddAttributeError(path.Root("versions").AtListIndex(i).AtName("version_id"), "Unknown Worker version",
				fmt.Sprintf("Worker %q has no version %s. List its versions with data.officehours_worker_versions or "+
					"`wrangler versions list --name %s`, and name one of them.", script, id, script))
		case clients.IsGone(err):
			return // the Worker is created in this apply; its versions are checked then
		default:
			resp.Diagnostics.AddAttributeError(path.Root("versions").AtListIndex(i).AtName("version_id"), "Cannot check Worker version",
				fmt.Sprintf("Reading version %s of Worker %q failed: %s", id, script, err))
		}
	}
}

func (r *deploymentResource) warnDrift(ctx context.Context, req resource.ModifyPlanRequest, state deploymentModel, diags *diag.Diagnostics) {
	data, d := req.Private.GetKey(ctx, privateKey)
	diags.Append(d...)
	var applied string
	if json.Unmarshal(data, &applied) != nil || applied == state.ID.ValueString() {
		return // imported, or no drift
	}
	var shares []string
	for _, v := range state.Versions {
		shares = append(shares, fmt.Sprintf("%s at %g%%", v.VersionID.ValueString(), v.Percentage.ValueFloat64()))
	}
	diags.AddWarning("Worker deployed outside Terraform",
		fmt.Sprintf("Worker %q now serves %s, deployed by %s at %s (deployment %s), not what the last apply deployed. "+
			"Applying deploys the configured versions again; to keep this deployment, write its versions into the configuration.",
			state.ScriptName.ValueString(), strings.Join(shares, " and "), state.Source.ValueString(), state.CreatedOn.ValueString(), state.ID.ValueString()))
}

func (r *deploymentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.deploy(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKey, appliedJSON(plan.ID.ValueString()))...)
}

func (r *deploymentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan deploymentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.ID.IsUnknown() {
		// Only force changed: nothing to deploy.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.deploy(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKey, appliedJSON(plan.ID.ValueString()))...)
}

// deploy creates the configured deployment; a lost answer is resolved by
// adopting the latest deployment when it is the one sent.
func (r *deploymentResource) deploy(ctx context.Context, m *deploymentModel, diags *diag.Diagnostics) {
	cf, d := r.Clients.CloudflareAccount()
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	script := m.ScriptName.ValueString()
	want := m.traffic()
	if !m.Force.ValueBool() {
		// The newest page of versions holds those a secret change made
		// since the configured ones (assumed: no release names a version
		// more than 100 versions old without force).
		page, err := clients.Get[struct {
			Items []apiVersion `json:"items"`
		}](ctx, cf, scriptPath(cf, script, "versions"), url.Values{"page": {"1"}, "per_page": {strconv.Itoa(maxVersions)}})
		if err == nil {
			if resolved := withTodaysSecrets(want, page.Items); shares(resolved) != shares(want) {
				tflog.Info(ctx, "Deploying the versions a secret change made of the configured ones", map[string]any{"configured": shares(want), "deployed": shares(resolved)})
				want = resolved
			}
		}
	}
	call := clients.Call{Method: http.MethodPost, Path: scriptPath(cf, script, "deployments"), JSON: m.body(want)}
	if m.Force.ValueBool() {
		call.Query = map[string][]string{"force": {"true"}}
	}
	created, err := clients.Create(ctx,
		func(ctx context.Context) (apiDeployment, error) {
			var out apiDeployment
			err := cf.Do(ctx, call, &out)
			return out, err
		},
		func(ctx context.Context) (apiDeployment, bool, error) {
			list, err := deployments(ctx, cf, script)
			if err != nil || len(list) == 0 {
				return apiDeployment{}, false, err
			}
			latest := list[0]
			return latest, sameTraffic(want, latest) && latest.Annotations[messageKey] == m.Message.ValueString(), nil
		}, nil)
	switch {
	case err == nil:
	case clients.HasCode(err, codeSecretsChanged):
		diags.AddAttributeError(path.Root("force"), "Deployment refused: secrets differ",
			fmt.Sprintf("Deploying %s to Worker %q failed: %s. A version keeps the secret values it was created with, so this "+
				"deployment would serve older secrets. A secret changed since that version was uploaded makes a version of "+
				"its own (data.officehours_worker_versions lists the deployments; the newest serves now): name that one "+
				"for the code serving now, let secrets depend on this deployment so that they change after it, or set "+
				"force = true to deploy the old secrets anyway.", shares(want), script, err))
		return
	case clients.HasCode(err, codeVersionNotFound):
		diags.AddAttributeError(path.Root("versions"), "Unknown Worker version",
			fmt.Sprintf("Deploying %s to Worker %q failed: %s. Name versions of this Worker (data.officehours_worker_versions lists them).", shares(want), script, err))
		return
	case clients.IsGone(err):
		diags.AddAttributeError(path.Root("script_name"), "Worker not found",
			fmt.Sprintf("Deploying to Worker %q failed: %s. Create the Worker first (reference officehours_worker_script.<name>.name "+
				"in script_name so Terraform orders them).", script, err))
		return
	default:
		diags.AddError("Cannot deploy Worker versions", fmt.Sprintf("Deploying %s to Worker %q failed: %s", shares(want), script, err))
		return
	}
	m.ID = types.StringValue(created.ID)
	m.CreatedOn = types.StringValue(created.CreatedOn)
	m.Source = types.StringValue(created.Source)
}

func shares(t []apiTraffic) string {
	var parts []string
	for _, v := range t {
		parts = append(parts, fmt.Sprintf("%s at %g%%", v.VersionID, v.Percentage))
	}
	return strings.Join(parts, " and ")
}

// Read costs one request: the Worker's deployments, of which the latest is
// what serves.
func (r *deploymentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state deploymentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	script := state.ScriptName.ValueString()
	list, err := deployments(ctx, cf, script)
	switch {
	case clients.IsGone(err) || (err == nil && len(list) == 0):
		resp.State.RemoveResource(ctx) // the Worker is gone
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read Worker deployments", fmt.Sprintf("Reading the deployments of Worker %q failed: %s", script, err))
		return
	}
	// The deployment this resource made is what it configured, even where
	// it deployed a secret change's version of a configured one.
	latest := serving(list, state.ID.ValueString())
	if latest.ID != state.ID.ValueString() {
		force := state.Force
		state.fromAPI(script, latest)
		state.Force = force
	}
	if state.Force.IsNull() {
		state.Force = types.BoolValue(false) // imported
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// serving is the deployment that decides what serves: the newest, except
// that deployments a secret change made on top of ours count as ours. A
// secret change deploys a new version of the serving code with the new
// secret at 100 % (the local API's workers/secrets.go), which is no
// change of what the configuration deploys. They are told by their
// workers/triggered_by annotation (cloudflare-go v7 DeploymentAnnotations
// WorkersTriggeredBy; the value "secret" is assumed).
func serving(list []apiDeployment, ours string) apiDeployment {
	for _, d := range list {
		if d.ID == ours {
			return d
		}
		if d.Annotations["workers/triggered_by"] != "secret" {
			return list[0]
		}
	}
	return list[0]
}

// Delete forgets the deployment: Cloudflare cannot undeploy a Worker (the
// active deployment cannot be deleted: 10339), which keeps serving.
func (r *deploymentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state deploymentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Worker deployment left in place",
		fmt.Sprintf("Worker %q keeps serving %s: Cloudflare cannot undeploy a Worker. Terraform no longer manages its deployments; "+
			"delete the officehours_worker_script to take the Worker down.", state.ScriptName.ValueString(), shares(state.traffic())))
}

// ImportState takes the script name and adopts its latest deployment.
func (r *deploymentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" || strings.Contains(req.ID, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected the Worker's name, for example cf-office-hours-api-production; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("script_name"), req.ID)...)
}
