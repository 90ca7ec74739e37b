package dnsrecord

import "github.com/hashicorp/terraform-plugin-framework/types"

type recordModel struct {
	ID       types.String `tfsdk:"id"`
	ZoneID   types.String `tfsdk:"zone_id"`
	Name     types.String `tfsdk:"name"`
	Type     types.String `tfsdk:"type"`
	Content  types.String `tfsdk:"content"`
	Proxied  types.Bool   `tfsdk:"proxied"`
	TTL      types.Int64  `tfsdk:"ttl"`
	Priority types.Int64  `tfsdk:"priority"`
	Comment  types.String `tfsdk:"comment"`
}

// apiRecord is a DNS record as the API answers it (cloudflare-go v7
// dns.RecordResponse); comment is null when there is none.
type apiRecord struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Content  string  `json:"content"`
	Proxied  bool    `json:"proxied"`
	TTL      int64   `json:"ttl"`
	Priority *int64  `json:"priority,omitempty"`
	Comment  *string `json:"comment"`
}

// body is the record to send: the whole record, as PUT wants it (name, type
// and ttl are required by cloudflare-go v7's record params).
func (m *recordModel) body() map[string]any {
	b := map[string]any{
		"name": m.Name.ValueString(), "type": m.Type.ValueString(), "content": m.Content.ValueString(),
		"ttl": m.TTL.ValueInt64(), "proxied": m.Proxied.ValueBool(), "comment": m.Comment.ValueString(),
	}
	if !m.Priority.IsNull() && !m.Priority.IsUnknown() {
		b["priority"] = m.Priority.ValueInt64()
	}
	return b
}

func (m *recordModel) fromAPI(r apiRecord) {
	m.ID = types.StringValue(r.ID)
	m.Name = types.StringValue(r.Name)
	m.Type = types.StringValue(r.Type)
	m.Content = types.StringValue(r.Content)
	m.Proxied = types.BoolValue(r.Proxied)
	m.TTL = types.Int64Value(r.TTL)
	m.Priority = types.Int64Null()
	if r.Priority != nil && r.Type == "MX" {
		m.Priority = types.Int64Value(*r.Priority)
	}
	m.Comment = types.StringNull()
	if r.Comment != nil && *r.Comment != "" {
		m.Comment = types.StringValue(*r.Comment)
	}
}
