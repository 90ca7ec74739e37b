// Package dnsrecord is the officehours_dns_record resource.
package dnsrecord

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/zone"
)

var (
	_ resource.ResourceWithConfigure   = (*recordResource)(nil)
	_ resource.ResourceWithImportState = (*recordResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*recordResource)(nil)
)

// Cloudflare's answers to a record that collides with another (in its
// issue threads: 81053 for an A, AAAA or CNAME on a name that has a CNAME or
// address records, 81054 for a CNAME beside another record, 81057 for an
// identical record).
const (
	codeHostTaken  = 81053
	codeCNAMETaken = 81054
	codeIdentical  = 81057
)

// pageSize is the largest page of records Cloudflare serves (its API schema:
// dns-records per_page, at most 5,000,000); one page lists a name's records.
const pageSize = 5_000_000

// refreshPageSize is the page of the list a refresh shares: a zone of more
// than a few such pages has its records read one by one instead.
const refreshPageSize = 5_000

type recordResource struct{ clients.ResourceBase }

// NewResource is the officehours_dns_record factory.
func NewResource() resource.Resource { return &recordResource{} }

func (r *recordResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dns_record"
}

func recordsPath(zoneID string, id ...string) string {
	return clients.Zone(zoneID, append([]string{"dns_records"}, id...)...)
}

// byName lists the zone's records of a name (cloudflare-go v7 sends the
// filter as name.exact).
func byName(ctx context.Context, cf *clients.Cloudflare, zoneID, name string) ([]apiRecord, error) {
	return clients.List[apiRecord](ctx, cf, recordsPath(zoneID), url.Values{"name.exact": {name}}, pageSize)
}

// readRecord is a refresh: from the zone's records, listed once for every
// record of the zone the operation reads, or directly for one the list
// lacks.
func readRecord(ctx context.Context, cf *clients.Cloudflare, zoneID, id string) (apiRecord, error) {
	list, err := clients.SharedList[apiRecord](ctx, cf, recordsPath(zoneID), nil, refreshPageSize)
	return clients.FromList(ctx, cf, list.Items, err, func(rec apiRecord) bool { return rec.ID == id }, recordsPath(zoneID, id))
}

// ModifyPlan refuses a name outside the zone before anything is sent:
// Cloudflare would take it as relative and append the zone's name. The
// zone's name is read only when the zone or the name is new or changes.
func (r *recordResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.ZoneID.IsUnknown() || plan.Name.IsUnknown() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state recordModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if state.ZoneID.Equal(plan.ZoneID) && state.Name.Equal(plan.Name) {
			return
		}
	}
	zoneName, diags := zone.NameForCheck(ctx, r.Clients, plan.ZoneID.ValueString(), fmt.Sprintf("the name %q", plan.Name.ValueString()))
	resp.Diagnostics.Append(diags...)
	if zoneName != "" && !zone.Contains(zoneName, plan.Name.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Record name not in the zone",
			fmt.Sprintf("%q is not in zone %s (id %s): Cloudflare would create %s.%s. Use a name under %s, or the zone that holds %q.",
				plan.Name.ValueString(), zoneName, plan.ZoneID.ValueString(), plan.Name.ValueString(), zoneName, zoneName, plan.Name.ValueString()))
	}
}

func (r *recordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	zoneID := plan.ZoneID.ValueString()
	rec, err := clients.Create(ctx,
		func(ctx context.Context) (apiRecord, error) {
			var out apiRecord
			err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: recordsPath(zoneID), JSON: plan.body()}, &out)
			return out, err
		},
		// After a lost answer, the record with our name, type and content is ours.
		func(ctx context.Context) (apiRecord, bool, error) {
			list, err := byName(ctx, cf, zoneID, plan.Name.ValueString())
			for _, rec := range list {
				if rec.Type == plan.Type.ValueString() && rec.Content == plan.Content.ValueString() {
					return rec, true, nil
				}
			}
			return apiRecord{}, false, err
		},
		func(err error) bool { return clients.HasCode(err, codeIdentical) },
	)
	if err != nil {
		r.explainCollision(ctx, cf, &plan, err, resp)
		return
	}
	plan.fromAPI(rec)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// explainCollision reports a failed create, naming the records that are in
// the way with the id to import them by.
func (r *recordResource) explainCollision(ctx context.Context, cf *clients.Cloudflare, m *recordModel, err error, resp *resource.CreateResponse) {
	name := m.Name.ValueString()
	if !clients.HasCode(err, codeHostTaken) && !clients.HasCode(err, codeCNAMETaken) && !clients.HasCode(err, codeIdentical) {
		resp.Diagnostics.AddError("Cannot create DNS record", fmt.Sprintf("Creating the %s record %s failed: %s", m.Type.ValueString(), name, err))
		return
	}
	var existing []string
	if list, lookupErr := byName(ctx, cf, m.ZoneID.ValueString(), name); lookupErr == nil {
		for _, rec := range list {
			existing = append(existing, fmt.Sprintf("%s %s (import id %s/%s)", rec.Type, rec.Content, m.ZoneID.ValueString(), rec.ID))
		}
	}
	resp.Diagnostics.AddAttributeError(path.Root("name"), "DNS name already has a conflicting record",
		fmt.Sprintf("Creating the %s record %s failed: %s. The zone already has for this name: %s. A CNAME cannot share its "+
			"name with any other record. Import the record to manage it here, or remove it.", m.Type.ValueString(), name, err, orNone(existing)))
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "(could not be listed)"
	}
	return strings.Join(list, "; ")
}

func (r *recordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state recordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rec, err := readRecord(ctx, cf, state.ZoneID.ValueString(), state.ID.ValueString())
	if clients.IsGone(err) {
		tflog.Info(ctx, "DNS record no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read DNS record", fmt.Sprintf("Reading record %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
		return
	}
	state.fromAPI(rec)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *recordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var rec apiRecord
	err := cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: recordsPath(state.ZoneID.ValueString(), state.ID.ValueString()), JSON: plan.body()}, &rec)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update DNS record", fmt.Sprintf("Updating the %s record %s failed: %s", plan.Type.ValueString(), plan.Name.ValueString(), err))
		return
	}
	plan.fromAPI(rec)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *recordResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state recordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := cf.Delete(ctx, recordsPath(state.ZoneID.ValueString(), state.ID.ValueString())); err != nil {
		resp.Diagnostics.AddError("Cannot delete DNS record", fmt.Sprintf("Deleting record %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
	}
}

// ImportState takes `<zone_id>/<record_id>`.
func (r *recordResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	zoneID, id, ok := strings.Cut(req.ID, "/")
	if !ok || zoneID == "" || id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Import a DNS record as <zone_id>/<record_id> (the record id is in the dashboard's record details, or in GET /zones/<zone_id>/dns_records); got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), zoneID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
