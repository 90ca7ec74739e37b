// Package pagesdomain is the officehours_pages_domain resource.
package pagesdomain

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure   = (*domainResource)(nil)
	_ resource.ResourceWithImportState = (*domainResource)(nil)
)

type domainResource struct{ clients.ResourceBase }

// NewResource is the officehours_pages_domain factory.
func NewResource() resource.Resource { return &domainResource{} }

func (r *domainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pages_domain"
}

func failure(diags *diag.Diagnostics, action, project, name string, err error) {
	next := "Check the error, then run terraform apply again."
	switch clients.StatusOf(err) {
	case http.StatusNotFound:
		next = fmt.Sprintf("Check that the Pages project %q exists in this account.", project)
	case http.StatusConflict:
		next = "Another Pages project of this account already has this domain: remove it there first."
	case http.StatusBadRequest:
		next = "Cloudflare refused the domain: check the name in the configuration."
	}
	diags.AddError(fmt.Sprintf("Cannot %s custom domain %s of Pages project %q", action, name, project), fmt.Sprintf("%s\n\n%s", err, next))
}

func (r *domainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan domainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, name := plan.ProjectName.ValueString(), plan.Name.ValueString()

	// A domain already on this project (left by an earlier apply whose wait
	// failed, or a create whose answer was lost) is taken over as it is, so
	// that its validation record stays the same.
	d, err := addDomain(ctx, cf, project, name)
	if isInUse(err) {
		if found, getErr := getDomain(ctx, cf, project, name); getErr == nil {
			tflog.Info(ctx, "Custom domain already on the project; taking it over", map[string]any{"project": project, "domain": name})
			d, err = found, nil
		}
	}
	if err != nil {
		failure(&resp.Diagnostics, "add", project, name, err)
		return
	}

	if plan.WaitForActive.ValueBool() {
		timeout, diags := plan.Timeouts.Create(ctx, defaultWaitTimeout)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		d, err = waitActive(ctx, cf, project, d, timeout)
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Custom domain %s of Pages project %q is not active", name, project),
				fmt.Sprintf("The domain was added, but %s.\n\nIt stays on the project and is not recorded in the state: once "+
					"DNS is in place, run terraform apply again and the provider takes the existing domain over and waits again "+
					"(or raise timeouts.create, or set wait_for_active = false).", strings.TrimSuffix(err.Error(), ".")))
			return
		}
	}
	plan.fromAPI(d)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *domainResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state domainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, name := state.ProjectName.ValueString(), state.Name.ValueString()
	d, err := readDomain(ctx, cf, project, name)
	if clients.IsGone(err) { // the domain or its whole project is gone
		tflog.Info(ctx, "Custom domain no longer exists; planning re-creation", map[string]any{"project": project, "domain": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		failure(&resp.Diagnostics, "read", project, name, err)
		return
	}
	state.fromAPI(d)
	if state.WaitForActive.IsNull() { // import: the optional setting takes its default
		state.WaitForActive = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only changes the wait settings, which matter at creation.
func (r *domainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state domainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.WaitForActive, state.Timeouts = plan.WaitForActive, plan.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *domainResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state domainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, name := state.ProjectName.ValueString(), state.Name.ValueString()
	if err := cf.Delete(ctx, domainsPath(cf, project, name)); err != nil {
		failure(&resp.Diagnostics, "delete", project, name, err)
	}
}

// ImportState takes "<project_name>/<domain>".
func (r *domainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, name, ok := strings.Cut(req.ID, "/")
	if !ok || !projectName.MatchString(project) || !hostname.MatchString(name) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import a Pages custom domain as <project_name>/<domain>, for example "+
				"cf-office-hours/staging.officehours.youcanjustdothings.io; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_name"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}
