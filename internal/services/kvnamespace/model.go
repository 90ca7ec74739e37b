package kvnamespace

import "github.com/hashicorp/terraform-plugin-framework/types"

type kvNamespaceModel struct {
	ID    types.String `tfsdk:"id"`
	Title types.String `tfsdk:"title"`
}

// namespace is a KV namespace as the API answers it (cloudflare-go v7
// kv.Namespace: id, title, supports_url_encoding).
type namespace struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

func (m *kvNamespaceModel) fromAPI(ns namespace) {
	m.ID = types.StringValue(ns.ID)
	m.Title = types.StringValue(ns.Title)
}
