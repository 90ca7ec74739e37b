// Package storagebucket is the officehours_storage_bucket resource.
package storagebucket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure   = (*bucketResource)(nil)
	_ resource.ResourceWithImportState = (*bucketResource)(nil)
)

// defaultEmptyWait is how long force_destroy waits for Storage's queued
// empty by default ("Completion may take up to an hour", Storage's own
// answer to the empty).
const defaultEmptyWait = 15 * time.Minute

// countLimit bounds how many objects a refused destroy counts.
const countLimit = 10000

type bucketResource struct{ clients.ResourceBase }

// NewResource is the officehours_storage_bucket factory.
func NewResource() resource.Resource { return &bucketResource{} }

func (r *bucketResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_bucket"
}

func failure(diags *diag.Diagnostics, action, name string, err error) {
	diags.AddError(fmt.Sprintf("Cannot %s Storage bucket", action), fmt.Sprintf("%s bucket %q failed: %s", action, name, err))
}

func (r *bucketResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan bucketModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	st, diags := r.Clients.Storage()
	resp.Diagnostics.Append(diags...)
	body, diags := plan.body(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	body["id"], body["name"] = name, name
	err := st.Do(ctx, http.MethodPost, "/bucket", body, nil)
	switch {
	case clients.IsDuplicate(err):
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Storage bucket already exists",
			fmt.Sprintf("A bucket named %q already exists in this project. Import it with `terraform import <address> %s` "+
				"to manage it here, or choose another name.", name, name))
		return
	case err != nil:
		failure(&resp.Diagnostics, "create", name, err)
		return
	}
	plan.ID = types.StringValue(name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *bucketResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state bucketModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	st, diags := r.Clients.Storage()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var b clients.Bucket
	err := st.Do(ctx, http.MethodGet, clients.BucketPath(state.ID.ValueString()), nil, &b)
	if clients.IsNoSuchBucket(err) {
		tflog.Info(ctx, "Storage bucket no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		failure(&resp.Diagnostics, "read", state.ID.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ctx, b)...)
	if state.ForceDestroy.IsNull() { // import: the provider's own setting takes its default
		state.ForceDestroy = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *bucketResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan bucketModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	st, diags := r.Clients.Storage()
	resp.Diagnostics.Append(diags...)
	body, diags := plan.body(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := st.Do(ctx, http.MethodPut, clients.BucketPath(plan.ID.ValueString()), body, nil); err != nil {
		failure(&resp.Diagnostics, "update", plan.Name.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes an empty bucket. With force_destroy it empties the bucket
// first and waits for Storage's queued empty; without, a bucket with
// objects is refused with their count.
func (r *bucketResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state bucketModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	st, diags := r.Clients.Storage()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	bucketPath := clients.BucketPath(id)
	if state.ForceDestroy.ValueBool() {
		wait, diags := state.Timeouts.Delete(ctx, defaultEmptyWait)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		if err := st.Do(ctx, http.MethodPost, clients.BucketPath(id, "empty"), map[string]any{}, nil); err != nil && !clients.IsNoSuchBucket(err) {
			failure(&resp.Diagnostics, "empty", id, err)
			return
		}
		err := deleteWhenEmpty(ctx, st, bucketPath, wait)
		if errors.Is(err, errStillEmptying) {
			resp.Diagnostics.AddError("Storage bucket still emptying",
				fmt.Sprintf("Bucket %q was emptied (Storage queues the removal of its objects), but still held objects after "+
					"%s. Run terraform destroy again later, or raise timeouts.delete.", id, wait))
			return
		}
		if err != nil && !clients.IsNoSuchBucket(err) {
			failure(&resp.Diagnostics, "delete", id, err)
		}
		return
	}
	err := st.Do(ctx, http.MethodDelete, bucketPath, map[string]any{}, nil)
	switch {
	case err == nil, clients.IsNoSuchBucket(err):
	case clients.IsBucketNotEmpty(err):
		count := "some objects"
		if n, countErr := st.CountObjects(ctx, id, countLimit); countErr == nil && n < countLimit {
			count = fmt.Sprintf("%d objects", n)
		} else if countErr == nil {
			count = fmt.Sprintf("at least %d objects", n)
		}
		resp.Diagnostics.AddAttributeError(path.Root("force_destroy"), "Storage bucket is not empty",
			fmt.Sprintf("Bucket %q holds %s, and Storage deletes only empty buckets. To delete them with it, set "+
				"force_destroy = true, apply, then destroy; to keep them, remove the bucket from the configuration "+
				"with a removed block instead (or move the objects out first).", id, count))
	default:
		failure(&resp.Diagnostics, "delete", id, err)
	}
}

var errStillEmptying = errors.New("the bucket still holds objects")

// deleteWhenEmpty deletes the bucket once the queued empty has removed its
// objects, trying every second or two for at most wait.
func deleteWhenEmpty(ctx context.Context, st *clients.Storage, path string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	delay := 500 * time.Millisecond
	for {
		err := st.Do(ctx, http.MethodDelete, path, map[string]any{}, nil)
		if !clients.IsBucketNotEmpty(err) {
			return err
		}
		if time.Now().Add(delay).After(deadline) {
			return errStillEmptying
		}
		tflog.Info(ctx, "Storage bucket still emptying; waiting", map[string]any{"path": path, "wait_ms": delay.Milliseconds()})
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// ImportState takes the bucket id.
func (r *bucketResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
