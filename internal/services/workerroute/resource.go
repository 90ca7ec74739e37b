// Package workerroute is the officehours_worker_route resource.
package workerroute

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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

type routeResource struct{ clients.ResourceBase }

// NewResource is the officehours_worker_route factory.
func NewResource() resource.Resource { return &routeResource{} }

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_route"
}

func routesPath(zone string, id ...string) string {
	return clients.Zone(zone, append([]string{"workers", "routes"}, id...)...)
}

// zoneRoutes lists the zone's routes (one request: the list is not paged).
func zoneRoutes(ctx context.Context, cf *clients.Cloudflare, zone string) ([]apiRoute, error) {
	return clients.Get[[]apiRoute](ctx, cf, routesPath(zone), nil)
}

// readRoute is a refresh: from the zone's routes, listed once for every
// route of the zone the operation reads, or directly for one the list lacks.
func readRoute(ctx context.Context, cf *clients.Cloudflare, zone, id string) (apiRoute, error) {
	list, err := clients.SharedGet[[]apiRoute](ctx, cf, routesPath(zone), nil)
	return clients.FromList(ctx, cf, list, err, func(rt apiRoute) bool { return rt.ID == id }, routesPath(zone, id))
}

// withPattern finds the zone's route with pattern (and, when script is
// not nil, that script).
func withPattern(ctx context.Context, cf *clients.Cloudflare, zone, pattern string, script *string) (apiRoute, bool, error) {
	list, err := zoneRoutes(ctx, cf, zone)
	if err != nil {
		return apiRoute{}, false, err
	}
	for _, rt := range list {
		if rt.Pattern == pattern && (script == nil || rt.Script == *script) {
			return rt, true, nil
		}
	}
	return apiRoute{}, false, nil
}

// routeError explains a failed create or update. taken is the id of the
// zone's route that already has the pattern, when known.
func routeError(action string, m *routeModel, err error, taken string, scriptExists bool, diags *diag.Diagnostics) {
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
	case clients.HasCode(err, codeScriptNotFound) && scriptExists:
		diags.AddAttributeError(path.Root("script_name"), "Worker not visible to the routes API yet", detail+
			fmt.Sprintf(". The Worker %q exists, but Cloudflare has not made it visible to routes yet (it was created "+
				"moments ago and Cloudflare is eventually consistent). Run terraform apply again.", m.ScriptName.ValueString()))
	case clients.HasCode(err, codeScriptNotFound):
		diags.AddAttributeError(path.Root("script_name"), "Worker not found", detail+
			fmt.Sprintf(". No Worker named %q exists in the account: correct script_name, or create the Worker first "+
				"(reference officehours_worker_script.<name>.name so Terraform orders them).", m.ScriptName.ValueString()))
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
	zone, script := plan.ZoneID.ValueString(), plan.ScriptName.ValueString()
	var rt apiRoute
	err := clients.RetryOn(ctx, []int{codeScriptNotFound}, func(ctx context.Context) error {
		var err error
		rt, err = clients.Create(ctx,
			func(ctx context.Context) (apiRoute, error) {
				var out apiRoute
				err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: routesPath(zone), JSON: plan.body()}, &out)
				return out, err
			},
			// Patterns are unique in a zone: one with ours and our script is ours.
			func(ctx context.Context) (apiRoute, bool, error) {
				return withPattern(ctx, cf, zone, plan.Pattern.ValueString(), &script)
			},
			func(err error) bool { return clients.HasCode(err, codeDuplicate) },
		)
		return err
	})
	if err != nil {
		r.explain(ctx, cf, "Creating", &plan, err, &resp.Diagnostics)
		return
	}
	plan.fromAPI(rt)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// explain reports a failed create or update, with what it needs to look
// up: the route that has the pattern, whether the Worker exists at all.
func (r *routeResource) explain(ctx context.Context, cf *clients.Cloudflare, action string, m *routeModel, err error, diags *diag.Diagnostics) {
	taken := ""
	if clients.HasCode(err, codeDuplicate) {
		if rt, ok, lookupErr := withPattern(ctx, cf, m.ZoneID.ValueString(), m.Pattern.ValueString(), nil); lookupErr == nil && ok {
			taken = rt.ID
		}
	}
	exists := false
	if clients.HasCode(err, codeScriptNotFound) && cf.AccountID != "" {
		_, lookupErr := clients.Get[json.RawMessage](ctx, cf, cf.Account("workers", "services", m.ScriptName.ValueString()), nil)
		exists = lookupErr == nil
	}
	routeError(action, m, err, taken, exists, diags)
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state routeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rt, err := readRoute(ctx, cf, state.ZoneID.ValueString(), state.ID.ValueString())
	if clients.IsGone(err) { // 10007 for a route read by id
		tflog.Info(ctx, "Worker route no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read Worker route", fmt.Sprintf("Reading route %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
		return
	}
	state.fromAPI(rt)
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
	var rt apiRoute
	err := clients.RetryOn(ctx, []int{codeScriptNotFound}, func(ctx context.Context) error {
		return cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: routesPath(state.ZoneID.ValueString(), state.ID.ValueString()), JSON: plan.body()}, &rt)
	})
	if err != nil {
		r.explain(ctx, cf, "Updating", &plan, err, &resp.Diagnostics)
		return
	}
	plan.fromAPI(rt)
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
	if err := cf.Delete(ctx, routesPath(state.ZoneID.ValueString(), state.ID.ValueString())); err != nil {
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
