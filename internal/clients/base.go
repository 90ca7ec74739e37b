package clients

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ResourceBase gives a resource its Configure: embed it and use r.Clients.
type ResourceBase struct{ Clients *Clients }

// Configure keeps the provider's clients.
func (b *ResourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.Clients, resp.Diagnostics = fromProviderData(req.ProviderData, b.Clients)
}

// DataSourceBase gives a data source its Configure.
type DataSourceBase struct{ Clients *Clients }

// Configure keeps the provider's clients.
func (b *DataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.Clients, resp.Diagnostics = fromProviderData(req.ProviderData, b.Clients)
}

// fromProviderData type-asserts what the provider's Configure handed over.
// Terraform calls Configure before the provider is configured too (for
// validation), with nil data: keep what we had then.
func fromProviderData(data any, current *Clients) (*Clients, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return current, diags
	}
	c, ok := data.(*Clients)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *clients.Clients, got %T. This is a bug in the provider; please report it.", data))
		return current, diags
	}
	return c, diags
}
