package dnsrecord

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var nameRe = regexp.MustCompile(`^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// autoTTL is Cloudflare's "automatic" TTL, the only one a proxied record has.
const autoTTL = 1

func (r *recordResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A DNS record of a zone (`/zones/{zone_id}/dns_records`): A, AAAA, CNAME, TXT or MX.\n\n" +
			"A Pages custom domain needs one: Cloudflare creates no record for it, and the domain stays pending until " +
			"its name is a CNAME to the project's `*.pages.dev` subdomain (proxied; an apex works through CNAME flattening).\n\n" +
			"Names and contents are written as Cloudflare stores them (full lowercase names, targets without a trailing " +
			"dot, IPv6 in its short form), which validation enforces, so what is read back never plans a change. A name " +
			"outside the zone is refused at plan (Cloudflare would append the zone to it). A record changed or deleted " +
			"outside Terraform shows as drift. Import with `<zone_id>/<record_id>`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Record id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"zone_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The zone. Changing it replaces the record.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Full record name in the zone, lowercase, for example " +
					"`development.officehours.youcanjustdothings.io` (the zone's own name for the apex).",
				Validators: []validator.String{stringvalidator.RegexMatches(nameRe,
					"must be a full lowercase DNS name such as www.example.com, without a trailing dot")},
			},
			"type": schema.StringAttribute{
				Required: true, MarkdownDescription: "`A`, `AAAA`, `CNAME`, `TXT` or `MX`.",
				Validators: []validator.String{stringvalidator.OneOf(recordTypes...)},
			},
			"content": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "An IPv4 address (A), an IPv6 address in its short form (AAAA), a lowercase hostname " +
					"(CNAME, MX) or text up to 2048 characters (TXT).",
			},
			"proxied": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether Cloudflare proxies traffic for the name (A, AAAA and CNAME only). Default `false`.",
			},
			"ttl": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(autoTTL),
				MarkdownDescription: "Time to live in seconds, 60 to 86400, or `1` for automatic (the default, and the only TTL of a proxied record).",
				Validators:          []validator.Int64{int64validator.Any(int64validator.OneOf(autoTTL), int64validator.Between(60, 86400))},
			},
			"priority": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "Priority of an MX record, 0 to 65535 (required for MX, not allowed otherwise).",
				Validators: []validator.Int64{int64validator.Between(0, 65535)},
			},
			"comment": schema.StringAttribute{
				Optional: true, MarkdownDescription: "A note on the record, at most 100 characters (the limit of every plan).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
		},
	}
}

var _ resource.ResourceWithValidateConfig = (*recordResource)(nil)

// ValidateConfig refuses, before anything is sent, what Cloudflare would
// refuse or silently change.
func (r *recordResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m recordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Type.IsUnknown() {
		return
	}
	typ := m.Type.ValueString()
	if !m.Content.IsUnknown() && !m.Content.IsNull() {
		if err := checkContent(typ, m.Content.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("content"), "Invalid record content", err.Error()+".")
		}
	}
	if m.Proxied.ValueBool() && !proxiable(typ) {
		resp.Diagnostics.AddAttributeError(path.Root("proxied"), "Record cannot be proxied",
			fmt.Sprintf("Only A, AAAA and CNAME records can be proxied; remove proxied from this %s record.", typ))
	}
	if m.Proxied.ValueBool() && !m.TTL.IsNull() && !m.TTL.IsUnknown() && m.TTL.ValueInt64() != autoTTL {
		resp.Diagnostics.AddAttributeError(path.Root("ttl"), "A proxied record has an automatic TTL",
			fmt.Sprintf("Cloudflare keeps the TTL of a proxied record automatic (1) whatever is sent, so ttl = %d would show as a change on every plan. Remove ttl or set it to 1.", m.TTL.ValueInt64()))
	}
	switch {
	case typ == "MX" && m.Priority.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("priority"), "MX record needs a priority", "Set priority (0 to 65535; lower is preferred).")
	case typ != "MX" && !m.Priority.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("priority"), "Priority is for MX records",
			fmt.Sprintf("A %s record has no priority; remove it.", typ))
	}
}
