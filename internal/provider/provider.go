// Package provider is the officehours Terraform provider: its configuration
// and the list of resources and data sources it serves.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/dnsrecord"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/healthcheck"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/httphealth"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/kvnamespace"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/migrations"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/notificationpolicy"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/pagesdeployment"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/pagesdomain"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/pagesproject"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/rlspolicy"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/storagebucket"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/tablegrant"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/tablerls"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/workerdeployment"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/workerroute"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/workerscript"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/workersecret"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/zone"
)

type officehoursProvider struct{ version string }

// New returns the provider factory for a version string.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &officehoursProvider{version: version} }
}

func (p *officehoursProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "officehours"
	resp.Version = p.version
}

func (p *officehoursProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		kvnamespace.NewResource,
		dnsrecord.NewResource,
		healthcheck.NewResource,
		notificationpolicy.NewResource,
		tablegrant.NewResource,
		workerdeployment.NewResource,
		workerroute.NewResource,
		workersecret.NewResource,
		workerscript.NewResource,
		migrations.NewResource,
		pagesdeployment.NewResource,
		pagesdomain.NewResource,
		pagesproject.NewResource,
		rlspolicy.NewResource,
		storagebucket.NewResource,
		tablerls.NewResource,
	}
}

func (p *officehoursProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		healthcheck.NewDataSource,
		httphealth.NewDataSource,
		migrations.NewDataSource,
		workerdeployment.NewDataSource,
		zone.NewDataSource,
	}
}

func (p *officehoursProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := cfg.settings(os.Getenv, "terraform-provider-officehours/"+p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := clients.New(settings)
	resp.ResourceData = c
	resp.DataSourceData = c
}
