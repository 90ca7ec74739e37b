// Package workerscript is the officehours_worker_script resource.
package workerscript

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/domigrate"
)

var (
	_ resource.ResourceWithConfigure   = (*scriptResource)(nil)
	_ resource.ResourceWithImportState = (*scriptResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*scriptResource)(nil)
)

type scriptResource struct{ clients.ResourceBase }

// NewResource is the officehours_worker_script factory.
func NewResource() resource.Resource { return &scriptResource{} }

func (r *scriptResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_script"
}

// privateKey holds what the last apply (or import) saw deployed; a refresh
// that finds another etag or tag means the script changed outside Terraform.
const privateKey = "applied"

type applied struct {
	Etag         string `json:"etag"`
	MigrationTag string `json:"migration_tag"`
}

type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

func getApplied(ctx context.Context, p privateState) (*applied, diag.Diagnostics) {
	data, diags := p.GetKey(ctx, privateKey)
	if len(data) == 0 || diags.HasError() {
		return nil, diags
	}
	var a applied
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, diags
	}
	return &a, diags
}

func appliedJSON(m scriptModel) []byte {
	data, _ := json.Marshal(applied{Etag: m.Etag.ValueString(), MigrationTag: m.MigrationTag.ValueString()})
	return data
}

// bundle reads the configured module files; known is false while a path is
// unknown (for example the output of a build step not yet run).
func bundle(ctx context.Context, config tfsdk.Config) (modules []module, known bool, diags diag.Diagnostics) {
	var mainPath types.String
	var extra types.List
	diags.Append(config.GetAttribute(ctx, path.Root("main_module"), &mainPath)...)
	diags.Append(config.GetAttribute(ctx, path.Root("modules"), &extra)...)
	if diags.HasError() || mainPath.IsUnknown() || extra.IsUnknown() {
		return nil, false, diags
	}
	var extraPaths []string
	diags.Append(extra.ElementsAs(ctx, &extraPaths, false)...)
	modules, err := readBundle(mainPath.ValueString(), extraPaths)
	if err != nil {
		diags.AddAttributeError(path.Root("main_module"), "Cannot read the Worker bundle",
			fmt.Sprintf("%s. Build the bundle before planning, or fix the paths in main_module and modules.", err))
		return nil, false, diags
	}
	return modules, true, diags
}

func (r *scriptResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan scriptModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	modules, known, diags := bundle(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ContentSHA256 = types.StringUnknown()
	if known {
		plan.ContentSHA256 = types.StringValue(contentHash(modules))
	}
	plan.ID = plan.Name
	if !req.State.Raw.IsNull() {
		var state scriptModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		last, diags := getApplied(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		drifted := last != nil && (last.Etag != state.Etag.ValueString() || last.MigrationTag != state.MigrationTag.ValueString())
		if drifted {
			resp.Diagnostics.AddWarning("Worker script changed outside Terraform",
				fmt.Sprintf("Worker script %q now has etag %s and migration tag %q; the last apply left etag %s and tag %q. "+
					"It was uploaded, rolled back or reconfigured outside Terraform (wrangler, the dashboard). "+
					"Applying uploads the configured script again.",
					state.Name.ValueString(), state.Etag.ValueString(), state.MigrationTag.ValueString(), last.Etag, last.MigrationTag))
		}
		if drifted || !sameInputs(plan, state) {
			plan.Etag, plan.VersionID, plan.MigrationTag = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
		} else {
			plan.Etag, plan.VersionID, plan.MigrationTag = state.Etag, state.VersionID, state.MigrationTag
		}
		// Refuse a class deletion at plan time already; apply checks again
		// against what is live.
		live, d1 := state.stateClasses(ctx)
		declared, d2 := plan.declaredClasses(ctx)
		resp.Diagnostics.Append(d1...)
		resp.Diagnostics.Append(d2...)
		migration, err := domigrate.Compute(state.MigrationTag.ValueString(), live, declared, plan.AllowClassDeletion.ValueBool())
		switch {
		case err != nil:
			resp.Diagnostics.Append(migrationDiag(plan.Name.ValueString(), err))
		case !migration.Empty() && !plan.Deploy.ValueBool():
			resp.Diagnostics.Append(versionOnlyMigrationDiag(plan.Name.ValueString(), migration))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func migrationDiag(script string, err error) diag.Diagnostic {
	var refused *domigrate.DeletionRefusedError
	if errors.As(err, &refused) {
		return diag.NewAttributeErrorDiagnostic(path.Root("durable_object_classes"), "Durable Object class deletion refused",
			fmt.Sprintf("Worker script %q: %s. To delete them with their data, set allow_durable_object_deletion = true on this "+
				"resource; to keep them, declare them again in durable_object_classes (or declare the class that replaces "+
				"them with renamed_from).", script, err))
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("durable_object_classes"), "Invalid Durable Object classes",
		fmt.Sprintf("Worker script %q: %s.", script, err))
}

// versionOnlyMigrationDiag refuses a Durable Object migration in an upload
// that does not deploy: Cloudflare applies migrations only with a deploy
// (its versions upload refuses them, as the local API does).
func versionOnlyMigrationDiag(script string, m domigrate.Plan) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("deploy"), "Durable Object migration needs a deploy",
		fmt.Sprintf("Worker script %q changes its Durable Object classes (%s), which Cloudflare applies only with an upload "+
			"that deploys. Set deploy = true for this apply (it deploys the new code to all traffic at once), then set it "+
			"back to false for gradual releases.", script, m.Summary()))
}

func (r *scriptResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan scriptModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.deploy(ctx, cf, req.Config, &plan, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKey, appliedJSON(plan))...)
}

func (r *scriptResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state scriptModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Etag.IsUnknown() {
		// Only the deletion opt-in changed: nothing to upload.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.deploy(ctx, cf, req.Config, &plan, false, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKey, appliedJSON(plan))...)
}

// deploy uploads the configured script with the migration from what is live
// to what is declared, and fills the computed attributes of m from the
// upload's answer. create refuses to take over a script that exists: its
// first read of what is live is that check.
func (r *scriptResource) deploy(ctx context.Context, cf *clients.Cloudflare, config tfsdk.Config, m *scriptModel, create bool, diags *diag.Diagnostics) {
	name := m.Name.ValueString()
	modules, known, d := bundle(ctx, config)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if !known {
		diags.AddError("Worker bundle paths unknown at apply", "main_module or modules is still unknown at apply time.")
		return
	}
	if hash := contentHash(modules); !m.ContentSHA256.IsUnknown() && hash != m.ContentSHA256.ValueString() {
		diags.AddAttributeError(path.Root("main_module"), "Worker bundle changed since plan",
			fmt.Sprintf("The module files of Worker %q hash to %s now but %s when the plan was made. Plan again.", name, hash, m.ContentSHA256.ValueString()))
		return
	}
	bindings, d := m.bindings(ctx)
	diags.Append(d...)
	declared, d := m.declaredClasses(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	var flags []string
	diags.Append(m.CompatibilityFlags.ElementsAs(ctx, &flags, false)...)
	meta := uploadMetadata{
		MainModule: modules[0].Name, Bindings: bindings, CompatibilityDate: m.CompatibilityDate.ValueString(),
		CompatibilityFlags: nonNil(flags), KeepBindings: []string{"secret_text", "secret_key"},
	}
	// What is live is read once, and again only after an attempt that may
	// have changed it: a lost answer (clients.Resend sends the upload again,
	// which must not apply the migration twice) or a tag moved by another
	// deploy (10079). A namespace created a moment ago (10041) settles by
	// itself (clients.RetryOn) and changes nothing live.
	var (
		result    *uploadResult
		liveKnown bool
		liveTag   string
		live      []domigrate.Class
		exists    bool
	)
	err := clients.RetryOn(ctx, []int{codeKVNotFound, codeTagMismatch}, func(ctx context.Context) error {
		return clients.Resend(ctx, func(ctx context.Context) error {
			if !liveKnown {
				var err error
				if exists, liveTag, live, err = r.live(ctx, cf, name); err != nil {
					return fmt.Errorf("reading the live Durable Object classes: %w", err)
				}
				if create && exists {
					return errScriptExists
				}
				create, liveKnown = false, true // a script found after a lost answer is ours
			}
			migration, err := domigrate.Compute(liveTag, live, declared, m.AllowClassDeletion.ValueBool())
			if err != nil {
				return &migrationError{err}
			}
			meta.Migrations = nil
			if !migration.Empty() {
				meta.Migrations = &migration
				tflog.Info(ctx, "Applying Durable Object migration", map[string]any{"script": name, "old_tag": migration.OldTag, "new_tag": migration.NewTag, "steps": migration.Summary()})
			}
			if exists && !m.Deploy.ValueBool() {
				if !migration.Empty() {
					return &versionOnlyMigration{migration}
				}
				var v *versionResult
				if v, err = uploadVersion(ctx, cf, name, meta, modules); err == nil {
					result = &uploadResult{liveScript: liveScript{Etag: v.Resources.Script.Etag, MigrationTag: liveTag}, DeploymentID: v.ID}
				}
				return err
			}
			result, err = upload(ctx, cf, name, meta, modules)
			if clients.IsAmbiguous(err) || clients.HasCode(err, codeTagMismatch) {
				liveKnown = false
			}
			return err
		})
	})
	if errors.Is(err, errScriptExists) {
		diags.AddAttributeError(path.Root("name"), "Worker script already exists",
			fmt.Sprintf("A Worker named %q already exists in this account. Import it with `terraform import <address> %s` "+
				"to manage it here (the next apply uploads the configured code), or choose another name.", name, name))
		return
	}
	var migErr *migrationError
	var versionOnly *versionOnlyMigration
	switch {
	case errors.As(err, &migErr):
		diags.Append(migrationDiag(name, migErr.err))
		return
	case errors.As(err, &versionOnly):
		diags.Append(versionOnlyMigrationDiag(name, versionOnly.plan))
		return
	case err != nil && clients.IsStillRefused(err) && clients.HasCode(err, codeKVNotFound):
		diags.AddAttributeError(path.Root("kv_namespaces"), "Cannot upload Worker script",
			fmt.Sprintf("Uploading Worker %q failed: %s%s", name, err, r.missingNamespaces(ctx, cf, bindings)))
		return
	case err != nil:
		diags.AddError("Cannot upload Worker script", fmt.Sprintf("Uploading Worker %q failed: %s%s", name, err, uploadHint(err)))
		return
	}
	m.ID = m.Name
	m.Etag = types.StringValue(result.Etag)
	m.MigrationTag = types.StringValue(result.MigrationTag)
	m.VersionID = types.StringValue(uuidForm(result.DeploymentID))
}

// errScriptExists stops a create that found the name taken.
var errScriptExists = errors.New("the Worker exists")

// migrationError is a migration the declared classes cannot have from what
// is live: the configuration's to fix, not Cloudflare's answer.
type migrationError struct{ err error }

func (e *migrationError) Error() string { return e.err.Error() }

// versionOnlyMigration is a migration an upload with deploy = false would
// need (found at apply: the classes live changed since the plan).
type versionOnlyMigration struct{ plan domigrate.Plan }

func (e *versionOnlyMigration) Error() string {
	return "a Durable Object migration needs a deploy: " + e.plan.Summary()
}

// missingNamespaces tells a wrong namespace id apart from a namespace that
// Cloudflare is slow to show to Workers, once waiting has not helped.
func (r *scriptResource) missingNamespaces(ctx context.Context, cf *clients.Cloudflare, bindings []binding) string {
	var missing []string
	for _, b := range bindings {
		if b.Type != "kv_namespace" {
			continue
		}
		if _, err := clients.Get[json.RawMessage](ctx, cf, cf.Account("storage", "kv", "namespaces", b.NamespaceID), nil); clients.IsGone(err) {
			missing = append(missing, fmt.Sprintf("%s (binding %s)", b.NamespaceID, b.Name))
		}
	}
	if len(missing) > 0 {
		return ". These KV namespaces do not exist in the account: " + strings.Join(missing, ", ") +
			". Correct kv_namespaces (reference officehours_kv_namespace ids)."
	}
	return ". Every bound KV namespace exists, but Cloudflare did not show it to Workers in time (it was created moments ago); run terraform apply again."
}

// live reads whether the script exists, its migration tag and classes.
func (r *scriptResource) live(ctx context.Context, cf *clients.Cloudflare, name string) (bool, string, []domigrate.Class, error) {
	svc, err := readService(ctx, cf, name)
	if clients.IsGone(err) {
		return false, "", nil, nil
	}
	if err != nil {
		return false, "", nil, err
	}
	classes, err := liveClasses(ctx, cf, name)
	return true, svc.MigrationTag, classes, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
