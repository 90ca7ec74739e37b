package pagesproject

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
)

var (
	projectName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$`)
	varName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	dateOnly    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func nonEmpty() []validator.String { return []validator.String{stringvalidator.LengthAtLeast(1)} }

// variableNames refuses names Cloudflare refuses and NODE_VERSION, which
// has its own attribute.
func variableNames() []validator.Map {
	return []validator.Map{mapvalidator.KeysAre(
		stringvalidator.RegexMatches(varName, "must be a variable name: letters, digits and underscores, not starting with a digit"),
		nodeVersionKey{},
	)}
}

// nodeVersionKey refuses NODE_VERSION as a variable name and says where it goes.
type nodeVersionKey struct{}

func (nodeVersionKey) Description(context.Context) string {
	return "NODE_VERSION is set with node_version, not among the variables"
}
func (v nodeVersionKey) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (nodeVersionKey) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() == envdiff.NodeVersionVar {
		resp.Diagnostics.AddAttributeError(req.Path, "NODE_VERSION is its own setting",
			"Cloudflare reads the build's Node.js version from NODE_VERSION, which this resource sets from node_version "+
				"for both environments. Remove NODE_VERSION from the variables and set node_version (for example node_version = \"20\").")
	}
}

func stringList(values ...string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func environmentSchema(which string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Settings of " + which + " deployments. Leaving the block out means no variables, " +
			"secrets, flags or bindings for them; Cloudflare's own defaults (such as the compatibility date) are " +
			"then left alone and never show as changes.",
		Attributes: map[string]schema.Attribute{
			"variables": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Plain-text environment variables, available to the build and to Pages Functions. " +
					"A variable removed here is removed from Cloudflare. Set the Node.js version with `node_version`, not `NODE_VERSION` here.",
				Validators: variableNames(),
			},
			"secret_variables": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				WriteOnly:   true,
				MarkdownDescription: "Encrypted environment variables (Cloudflare's `secret_text`). **Write-only** " +
					"(Terraform 1.11 or later): the values never enter the plan or the state. A changed value is detected " +
					"with a salted, slow fingerprint (PBKDF2-SHA256) kept in the resource's private state and shows as a " +
					"change of `secret_revisions`. A secret removed here is removed from Cloudflare.",
				Validators: variableNames(),
			},
			"secret_revisions": schema.MapAttribute{
				ElementType: types.Int64Type,
				Computed:    true,
				MarkdownDescription: "For each secret variable, how many times this resource has written it (0 for a " +
					"secret it adopted on import and has not written since). It changes when a secret's value changes, " +
					"so a rotation shows in the plan without the value.",
			},
			"secret_variables_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it writes every secret of `secret_variables` again. Use it " +
					"after a secret was replaced outside Terraform (Cloudflare never returns secret values, so that " +
					"cannot be seen), or after an import to take over the adopted secrets right away.",
			},
			"compatibility_date": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Workers runtime compatibility date for Pages Functions (`YYYY-MM-DD`). " +
					"Cloudflare sets the project's creation day when it is left out.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dateOnly, "must be a date, YYYY-MM-DD")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"compatibility_flags": schema.SetAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Workers runtime compatibility flags for Pages Functions, for example `nodejs_compat`.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"kv_namespaces": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "KV namespace bindings for Pages Functions: binding name to namespace id.",
				Validators:          []validator.Map{mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"durable_object_namespaces": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Durable Object namespace bindings for Pages Functions: binding name to namespace id.",
				Validators:          []validator.Map{mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
		},
	}
}

func (r *projectResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Cloudflare Pages project (`/accounts/{account_id}/pages/projects`): build settings, " +
			"the Node.js version, an optional Git source, and for production and preview deployments their " +
			"variables, write-only secrets, compatibility settings and bindings.\n\n" +
			"Unlike the official provider: a variable removed from the configuration is removed from Cloudflare " +
			"(the API merges, so the provider sends `null` for it); secrets are write-only and an imported project " +
			"with secrets plans clean; blocks left out stay out and Cloudflare's defaults never show as changes; " +
			"the large deployment objects the API returns are not part of the resource.\n\n" +
			"**Destroying a project with custom domains works.** Cloudflare deletes no project that still has domains " +
			"(code 8000028). Domains managed by `officehours_pages_domain` depend on the project, so Terraform destroys " +
			"them first, also when the project is replaced; domains added in the dashboard or left by a failed wait are " +
			"removed by the project's destroy (a domain cannot outlive its project), and a warning names them.\n\n" +
			"Requires Terraform 1.11 or later (write-only attributes).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Project id (a UUID) assigned by Cloudflare.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project name: 1 to 58 lowercase letters, digits and dashes. It is the first label " +
					"of the `*.pages.dev` subdomain. Changing it replaces the project.",
				Validators: []validator.String{stringvalidator.RegexMatches(projectName,
					"must be 1 to 58 lowercase letters, digits and dashes, not starting or ending with a dash")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"production_branch": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Git branch whose deployments are production; every other branch deploys as a preview.",
				Validators:          nonEmpty(),
			},
			"node_version": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Node.js version for builds, for example `20`. Cloudflare reads it from the " +
					"`NODE_VERSION` build variable, which the provider sets in both environments.",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^\d+(\.\d+){0,2}$`), "must be a version such as 20 or 20.11.1")},
			},
			"build": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Build settings (Cloudflare's `build_config`).",
				Attributes: map[string]schema.Attribute{
					"command":          schema.StringAttribute{Optional: true, Validators: nonEmpty(), MarkdownDescription: "Build command, for example `npm run build`."},
					"output_directory": schema.StringAttribute{Optional: true, Validators: nonEmpty(), MarkdownDescription: "Directory the build writes the site to, relative to `root_directory`."},
					"root_directory":   schema.StringAttribute{Optional: true, Validators: nonEmpty(), MarkdownDescription: "Directory of the repository the build runs in, for example `/`."},
					"caching": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(envdiff.DefaultBuildCaching),
						MarkdownDescription: "Whether Cloudflare caches dependencies between builds. Defaults to `false`, as Cloudflare does.",
					},
				},
			},
			"source": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Git repository the project builds from. Leave it out for direct uploads (`wrangler pages deploy`).",
				Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						Required: true, MarkdownDescription: "`github` or `gitlab`.",
						Validators: []validator.String{stringvalidator.OneOf("github", "gitlab")},
					},
					"owner":      schema.StringAttribute{Required: true, Validators: nonEmpty(), MarkdownDescription: "Account or organisation that owns the repository."},
					"repository": schema.StringAttribute{Required: true, Validators: nonEmpty(), MarkdownDescription: "Repository name."},
					"production_deployments_enabled": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(envdiff.DefaultProductionDeploymentsEnabled),
						MarkdownDescription: "Whether pushes to the production branch deploy. Defaults to `true`.",
					},
					"preview_deployments": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(envdiff.DefaultPreviewDeployments),
						MarkdownDescription: "Which other branches build previews: `all` (the default), `none`, or `custom` (the branches matched by the include and exclude lists).",
						Validators:          []validator.String{stringvalidator.OneOf("all", "none", "custom")},
					},
					"preview_branch_includes": schema.ListAttribute{
						ElementType: types.StringType, Optional: true, Computed: true,
						Default:             listdefault.StaticValue(stringList(envdiff.DefaultPreviewBranchIncludes...)),
						MarkdownDescription: "Branch patterns that build previews with `custom`. Defaults to `[\"*\"]`, as Cloudflare does.",
						Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
					},
					"preview_branch_excludes": schema.ListAttribute{
						ElementType: types.StringType, Optional: true, Computed: true,
						Default:             listdefault.StaticValue(stringList(envdiff.DefaultPreviewBranchExcludes...)),
						MarkdownDescription: "Branch patterns that never build previews. Defaults to `[]`.",
						Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
					},
					"pr_comments_enabled": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(envdiff.DefaultPRComments),
						MarkdownDescription: "Whether Cloudflare comments preview links on pull requests. Defaults to `true`.",
					},
				},
			},
			"production": environmentSchema("production"),
			"preview":    environmentSchema("preview"),
			"subdomain": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The project's `*.pages.dev` hostname. Usually `<name>.pages.dev`; Cloudflare adds a " +
					"suffix when that name is taken elsewhere.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_on": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the project was created (RFC 3339).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}
