// Package workerroute is the officehours_worker_route resource.
package workerroute

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure   = (*routeResource)(nil)
	_ resource.ResourceWithImportState = (*routeResource)(nil)
)

// Cloudflare's route codes.
const (
	codeDuplicate      = 10020
	codeScriptNotFound = 10019
	codeBadPattern     = 10022
)

// createAttempts bounds how often a create whose answer was lost is tried.
const createAttempts = 3

type routeResource struct{ clients.ResourceBase }

// NewResource is the officehours_worker_route factory.
func NewResource() resource.Resource { return &routeResource{} }

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_route"
}

type apiRoute struct {
	ID      string `json:"id"`
	Pattern string `json:"pattern"`
	Script  string `json:"script,omitempty"`
}

type envelope[T any] struct {
	Result T `json:"result"`
}

func routesPath(zone, id string) string {
	p := fmt.Sprintf("zones/%s/workers/routes", url.PathEscape(zone))
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}

func (m *routeModel) body() []byte {
	b, _ := json.Marshal(apiRoute{Pattern: m.Pattern.ValueString(), Script: m.ScriptName.ValueString()})
	return b
}

func (m *routeModel) fromAPI(rt apiRoute) {
	m.ID = types.StringValue(rt.ID)
	m.Pattern = types.StringValue(rt.Pattern)
	m.ScriptName = types.StringNull()
	if rt.Script != "" {
		m.ScriptName = types.StringValue(rt.Script)
	}
}

// routeError explains a failed create or update. taken is the id of the
// zone's route that already has the pattern, when known.
func routeError(action string, m *routeModel, err error, taken string, diags *diag.Diagnostics) {
	detail := fmt.Sprintf("%s route %q in zone %s failed: %s", action, m.Pattern.ValueString(), m.ZoneID.ValueString(), err)
	switch {
	case clients.HasCode(err, codeDuplicate):
		importID := m.ZoneID.ValueString() + "/" + taken
		if taken == "" {
			importID = "<zone_id>/<route_id>"
		}
		diags.AddAttributeError(path.Root("pattern"), "Worker route pattern already taken", detail+
			fmt.Sprintf(". Another route of the zone has this pattern; to manage it here, import it with "+
				"`terraform import <address> %s` (or an import block with that id), or remove it.", importID))
	case clients.HasCode(err, codeScriptNotFound):
		diags.AddAttributeError(path.Root("script_name"), "Worker not found", detail+
			". Create the Worker first; reference officehours_worker_script.<name>.name so Terraform orders them.")
	case clients.HasCode(err, codeBadPattern):
		diags.AddAttributeError(path.Root("pattern"), "Route pattern not in the zone", detail+". The pattern's host must belong to the zone.")
	default:
		diags.AddError("Cannot "+strings.ToLower(action)+" Worker route", detail)
	}
}

func (r *routeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan routeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var err error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		var env envelope[apiRoute]
		err = cf.API.Post(ctx, routesPath(plan.ZoneID.ValueString(), ""), nil, &env, option.WithRequestBody("application/json", plan.body()))
		if err == nil {
			plan.fromAPI(env.Result)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			return
		}
		if !clients.IsAmbiguous(err) {
			break
		}
		// The answer was lost; the route may exist. Patterns are unique in a
		// zone, so one with ours (and our script) is the one we created.
		tflog.Warn(ctx, "Worker route create answer lost; looking the pattern up before retrying", map[string]any{"pattern": plan.Pattern.ValueString(), "error": err.Error()})
		var list envelope[[]apiRoute]
		if lookupErr := cf.API.Get(ctx, routesPath(plan.ZoneID.ValueString(), ""), nil, &list); lookupErr != nil {
			continue
		}
		for _, rt := range list.Result {
			if rt.Pattern == plan.Pattern.ValueString() && rt.Script == plan.ScriptName.ValueString() {
				plan.fromAPI(rt)
				resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
				return
			}
		}
	}
	taken := ""
	if clients.HasCode(err, codeDuplicate) {
		taken = r.routeWithPattern(ctx, cf, plan.ZoneID.ValueString(), plan.Pattern.ValueString())
	}
	routeError("Creating", &plan, err, taken, &resp.Diagnostics)
}

// routeWithPattern is the id of the zone's route with pattern, or "" when
// it cannot be found.
func (r *routeResource) routeWithPattern(ctx context.Context, cf *clients.Cloudflare, zone, pattern string) string {
	var list envelope[[]apiRoute]
	if err := cf.API.Get(ctx, routesPath(zone, ""), nil, &list); err != nil {
		return ""
	}
	for _, rt := range list.Result {
		if rt.Pattern == pattern {
			return rt.ID
		}
	}
	return ""
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state routeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var env envelope[apiRoute]
	err := cf.API.Get(ctx, routesPath(state.ZoneID.ValueString(), state.ID.ValueString()), nil, &env)
	if clients.IsNotFound(err) {
		tflog.Info(ctx, "Worker route no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read Worker route", fmt.Sprintf("Reading route %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
		return
	}
	state.fromAPI(env.Result)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *routeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state routeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var env envelope[apiRoute]
	err := cf.API.Put(ctx, routesPath(state.ZoneID.ValueString(), state.ID.ValueString()), nil, &env, option.WithRequestBody("application/json", plan.body()))
	if err != nil {
		taken := ""
		if clients.HasCode(err, codeDuplicate) {
			taken = r.routeWithPattern(ctx, cf, plan.ZoneID.ValueString(), plan.Pattern.ValueString())
		}
		routeError("Updating", &plan, err, taken, &resp.Diagnostics)
		return
	}
	plan.fromAPI(env.Result)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state routeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := cf.API.Delete(ctx, routesPath(state.ZoneID.ValueString(), state.ID.ValueString()), nil, nil)
	if err != nil && !clients.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete Worker route", fmt.Sprintf("Deleting route %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
	}
}

// ImportState takes `<zone_id>/<route_id>`.
func (r *routeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	zone, id, ok := strings.Cut(req.ID, "/")
	if !ok || zone == "" || id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected <zone_id>/<route_id>; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), zone)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
