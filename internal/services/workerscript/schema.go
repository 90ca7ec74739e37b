package workerscript

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	scriptNameRe  = regexp.MustCompile(`^[a-z0-9_-]{1,63}$`)
	bindingNameRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
	classNameRe   = bindingNameRe
)

// ReadRequests is what one refresh of a script costs besides the account's
// script list that every script of the operation shares, ImportRequests
// what reading it on import costs; the docs state them and
// TestAccWorkerScript_lifecycleDriftImportAndMigrations counts them in the
// local API's request log.
const (
	ReadRequests   = 1
	ImportRequests = 5
)

func (r *scriptResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	bindingKeys := mapvalidator.KeysAre(stringvalidator.RegexMatches(bindingNameRe, "must be a JavaScript identifier"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Workers script (`/accounts/{account_id}/workers/scripts/{name}`): an ES module bundle " +
			"with its compatibility settings, variables, KV and Durable Object bindings, and the Durable Object classes it exports.\n\n" +
			"**Code is tracked by hash.** The module files are read at plan time; `content_sha256` changes when a file does, " +
			"and nothing of the code is stored in state (the file paths are write-only, so moving the bundle changes nothing).\n\n" +
			"**Refresh costs " + fmt.Sprint(ReadRequests) + " API request per script** (`GET .../settings` for the bindings and " +
			"compatibility settings, which `officehours_worker_secret` reads its secrets from too), plus one " +
			"`GET /workers/scripts` per plan that every script shares for the etag of the code and the migration tag; " +
			"Cloudflare's own provider spends 3 per script. An acceptance test proves it by counting the requests of a " +
			"refresh in the local API's request log. Cloudflare's etag covers the code only, so the settings are read too: a variable, JSON variable, " +
			"KV or Durable Object binding or compatibility setting changed through the settings API or the dashboard shows " +
			"in the plan and is set back. Code uploaded or rolled back outside Terraform (wrangler, the dashboard) has " +
			"another etag; the plan warns and shows `etag` as changing, and applying uploads the configured script again. " +
			"Import costs " + fmt.Sprint(ImportRequests) + " requests, counted the same way (it also reads the code, the " +
			"Durable Object namespaces and the deployments).\n\n" +
			"**Eventual consistency is waited out.** A KV namespace created moments before the upload (10041) or a migration " +
			"tag moved by a concurrent deploy (10079) is retried with backoff for up to 30 seconds; a namespace id that " +
			"does not exist is then named as such.\n\n" +
			"**Durable Object migrations need no tags.** Declare the classes the script exports in `durable_object_classes`; " +
			"at apply the provider reads the live migration tag and classes and sends only the difference " +
			"(`old_tag` = the live tag, a new tag named after the transition). Scripts migrated earlier by wrangler " +
			"(tags such as `v1`) continue cleanly. New classes are SQLite-backed unless `storage = \"key_value\"`; a rename is " +
			"declared with `renamed_from`. Removing a class deletes it and all its objects, so it is refused unless " +
			"`allow_durable_object_deletion = true`.\n\n" +
			"**Secrets are never dropped.** Uploads send `keep_bindings` for secret bindings, so secrets put by " +
			"`officehours_worker_secret` or `wrangler secret put` survive code changes.\n\n" +
			"Requires Terraform 1.11 or later (write-only attributes).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The script name.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Script name (lowercase letters, digits, `-` and `_`, at most 63). Changing it replaces the script.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.RegexMatches(scriptNameRe, "must be 1 to 63 lowercase letters, digits, - or _")},
			},
			"main_module": schema.StringAttribute{
				Required: true, WriteOnly: true,
				MarkdownDescription: "Path of the main ES module (for example `dist/index.js`). Its file name is the module name. " +
					"Write-only: the path is not kept in state, the content is tracked by `content_sha256`.",
			},
			"modules": schema.ListAttribute{
				Optional: true, WriteOnly: true, ElementType: types.StringType,
				MarkdownDescription: "Paths of further modules (ES modules, source maps `.map`, WebAssembly `.wasm`, text). " +
					"Each must lie under the main module's directory and is named by its path relative to it, as wrangler names them.",
			},
			"content_sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "SHA-256 over the module names and contents, main module first. Computed from the files " +
					"at plan time and from the deployed code on import.",
			},
			"compatibility_date": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Workers runtime compatibility date, `YYYY-MM-DD`, not in the future.",
				Validators:          []validator.String{compatibilityDate{}},
			},
			"compatibility_flags": schema.SetAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				MarkdownDescription: "Compatibility flags, for example `[\"nodejs_compat\"]`.",
			},
			"vars": schema.MapAttribute{
				Optional: true, ElementType: types.StringType, Validators: []validator.Map{bindingKeys},
				MarkdownDescription: "Plain-text variables by binding name. Not for secrets: use `officehours_worker_secret`.",
			},
			"json_vars": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				Validators: []validator.Map{bindingKeys, mapvalidator.ValueStringsAre(jsonText{})},
				MarkdownDescription: "JSON variables by binding name; each value is JSON text, for example " +
					"`jsonencode({ rpm = 60 })`.",
			},
			"kv_namespaces": schema.MapAttribute{
				Optional: true, ElementType: types.StringType, Validators: []validator.Map{bindingKeys},
				MarkdownDescription: "KV namespace bindings: binding name to namespace id. The namespace must exist.",
			},
			"durable_object_bindings": schema.MapNestedAttribute{
				Optional: true, Validators: []validator.Map{bindingKeys},
				MarkdownDescription: "Durable Object namespace bindings by binding name. A class of this script must be " +
					"declared in `durable_object_classes`; a class of another script names that script.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"class_name": schema.StringAttribute{
						Required: true, MarkdownDescription: "The Durable Object class.",
						Validators: []validator.String{stringvalidator.RegexMatches(classNameRe, "must be a JavaScript class name")},
					},
					"script_name": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The script exporting the class, when it is not this one.",
					},
				}},
			},
			"durable_object_classes": schema.MapNestedAttribute{
				Optional:   true,
				Validators: []validator.Map{mapvalidator.KeysAre(stringvalidator.RegexMatches(classNameRe, "must be a JavaScript class name"))},
				MarkdownDescription: "The Durable Object classes this script exports, by class name. The provider migrates " +
					"the live classes to these: it creates, renames and (with `allow_durable_object_deletion`) deletes.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"storage": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(storageSQLite),
						MarkdownDescription: "`sqlite` (default, SQLite-backed) or `key_value` (the legacy key-value backend). " +
							"Fixed when the class is created.",
						Validators: []validator.String{stringvalidator.OneOf(storageSQLite, storageKeyValue)},
					},
					"renamed_from": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "A live class whose objects this class takes over (a rename migration). " +
							"Ignored once applied, or when no such class is live.",
					},
				}},
			},
			"allow_durable_object_deletion": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Allow applying a migration that deletes Durable Object classes no longer declared, " +
					"and with them all their stored objects. Off by default: such a plan fails and names the classes.",
			},
			"deploy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "`true` (default): each upload deploys at once to all traffic, as `wrangler deploy` does. " +
					"`false`: a change uploads a new version without deploying it (`POST .../versions`, as `wrangler versions " +
					"upload`), and an `officehours_worker_deployment` decides which versions serve, in what shares — a gradual " +
					"release or a rollback. The first upload of a new Worker deploys whatever this says: Cloudflare has no " +
					"Worker to add a version to before it. A change of Durable Object classes needs an upload that deploys: " +
					"with `false` the plan refuses it and says to set `true` for that apply. With `false`, refreshes read the " +
					"version Terraform uploaded (its code hash and settings), not what serves; the deployment resource " +
					"watches that.",
			},
			"etag": computedString("Content hash of the script as Cloudflare reports it: of the deployed script, or with " +
				"`deploy = false` of the version Terraform uploaded last."),
			"migration_tag": computedString("The live Durable Object migration tag after the last apply (the provider " +
				"generates tags `oh-…`; tags set by wrangler are kept until the next migration)."),
			"version_id": computedString("Id of the version the last upload by Terraform created: what an " +
				"`officehours_worker_deployment` names to deploy it. Secret changes create newer versions."),
		},
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

// compatibilityDate accepts YYYY-MM-DD dates up to today (UTC): Cloudflare
// refuses future dates with code 10021.
type compatibilityDate struct{}

func (compatibilityDate) Description(context.Context) string {
	return "must be a YYYY-MM-DD date, not in the future"
}
func (v compatibilityDate) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (compatibilityDate) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid compatibility date",
			fmt.Sprintf("%q is not a YYYY-MM-DD date.", s))
		return
	}
	if today := time.Now().UTC().Format("2006-01-02"); d.Format("2006-01-02") > today {
		resp.Diagnostics.AddAttributeError(req.Path, "Compatibility date in the future",
			fmt.Sprintf("%s is after today (%s, UTC); Cloudflare refuses future compatibility dates. Use today's date or an earlier one.", s, today))
	}
}

// jsonText accepts valid JSON text.
type jsonText struct{}

func (jsonText) Description(context.Context) string               { return "must be valid JSON" }
func (v jsonText) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (jsonText) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !jsonValid(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON variable",
			"The value is not valid JSON text. Use jsonencode(...) to build it.")
	}
}
