package kvnamespace

import (
	"github.com/cloudflare/cloudflare-go/v7/kv"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type kvNamespaceModel struct {
	ID    types.String `tfsdk:"id"`
	Title types.String `tfsdk:"title"`
}

func (m *kvNamespaceModel) fromAPI(ns *kv.Namespace) {
	m.ID = types.StringValue(ns.ID)
	m.Title = types.StringValue(ns.Title)
}
