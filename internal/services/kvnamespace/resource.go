// Package kvnamespace is the officehours_kv_namespace resource.
package kvnamespace

import (
	"context"
	"fmt"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/kv"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure   = (*kvNamespaceResource)(nil)
	_ resource.ResourceWithImportState = (*kvNamespaceResource)(nil)
)

// codeTitleExists is Cloudflare's answer to a title already taken.
const codeTitleExists = 10014

// createAttempts bounds how often a create whose answer was lost is tried.
const createAttempts = 4

type kvNamespaceResource struct{ clients.ResourceBase }

// NewResource is the officehours_kv_namespace factory.
func NewResource() resource.Resource { return &kvNamespaceResource{} }

func (r *kvNamespaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_kv_namespace"
}

func (r *kvNamespaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan kvNamespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	title := plan.Title.ValueString()

	existing, err := findByTitle(ctx, cf, title)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create KV namespace", fmt.Sprintf("Looking up KV namespaces titled %q failed: %s", title, err))
		return
	}
	if existing != nil {
		resp.Diagnostics.AddAttributeError(path.Root("title"), "KV namespace title already taken", titleTakenDetail(title, existing.ID))
		return
	}

	ns, err := create(ctx, cf, title)
	if err != nil {
		if clients.HasCode(err, codeTitleExists) {
			resp.Diagnostics.AddAttributeError(path.Root("title"), "KV namespace title already taken",
				titleTakenDetail(title, "(look it up with `wrangler kv namespace list`)"))
			return
		}
		resp.Diagnostics.AddError("Cannot create KV namespace", fmt.Sprintf("Creating KV namespace %q failed: %s", title, err))
		return
	}
	plan.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// create posts a new namespace. When the answer is lost the namespace may
// exist anyway, so it is looked up by title before any new attempt: the
// title was free when we started, so a namespace with it now is ours.
func create(ctx context.Context, cf *clients.Cloudflare, title string) (*kv.Namespace, error) {
	var err error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		var ns *kv.Namespace
		ns, err = cf.API.KV.Namespaces.New(ctx, kv.NamespaceNewParams{
			AccountID: cloudflare.F(cf.AccountID), Title: cloudflare.F(title),
		})
		if err == nil || !clients.IsAmbiguous(err) {
			return ns, err
		}
		tflog.Warn(ctx, "KV namespace create answer lost; looking the title up before retrying", map[string]any{"title": title, "error": err.Error()})
		found, lookupErr := findByTitle(ctx, cf, title)
		if lookupErr != nil {
			return nil, fmt.Errorf("%w (and looking the title up afterwards failed: %s)", err, lookupErr)
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, err
}

func titleTakenDetail(title, id string) string {
	return fmt.Sprintf("A KV namespace titled %q already exists in this account (id %s). Import it with "+
		"`terraform import <address> <id>` to manage it here, or choose another title.", title, id)
}

func (r *kvNamespaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state kvNamespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ns, err := cf.API.KV.Namespaces.Get(ctx, state.ID.ValueString(), kv.NamespaceGetParams{AccountID: cloudflare.F(cf.AccountID)})
	if clients.IsNotFound(err) {
		tflog.Info(ctx, "KV namespace no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read KV namespace", fmt.Sprintf("Reading KV namespace %s failed: %s", state.ID.ValueString(), err))
		return
	}
	state.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *kvNamespaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state kvNamespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ns, err := cf.API.KV.Namespaces.Update(ctx, state.ID.ValueString(), kv.NamespaceUpdateParams{
		AccountID: cloudflare.F(cf.AccountID), Title: cloudflare.F(plan.Title.ValueString()),
	})
	if err != nil {
		detail := fmt.Sprintf("Renaming KV namespace %s to %q failed: %s", state.ID.ValueString(), plan.Title.ValueString(), err)
		if clients.HasCode(err, codeTitleExists) {
			detail = titleTakenDetail(plan.Title.ValueString(), "(another namespace)")
		}
		resp.Diagnostics.AddError("Cannot rename KV namespace", detail)
		return
	}
	plan.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *kvNamespaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state kvNamespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := cf.API.KV.Namespaces.Delete(ctx, state.ID.ValueString(), kv.NamespaceDeleteParams{AccountID: cloudflare.F(cf.AccountID)})
	if err != nil && !clients.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete KV namespace", fmt.Sprintf("Deleting KV namespace %s failed: %s", state.ID.ValueString(), err))
	}
}

func (r *kvNamespaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
