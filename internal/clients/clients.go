// Package clients holds the one value every resource and data source is
// given: the Cloudflare client and the database pool, each built only when
// configured and failing with a diagnostic that says what to set only when a
// resource actually needs it.
package clients

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Clients is the provider's configured backends.
type Clients struct {
	cloudflare        *Cloudflare
	cloudflareUnknown bool

	storage        *Storage
	storageErr     error
	storageUnknown bool

	databaseURL     string
	databaseUnknown bool
	maxConnections  int
	poolOnce        sync.Once
	pool            *pgxpool.Pool
	poolErr         error
}

// Settings is the resolved provider configuration. A nil block means the
// backend is not configured; Unknown means a value depends on something not
// yet created (for example a URL from another resource) and will be known
// at apply time.
type Settings struct {
	Cloudflare        *CloudflareConfig
	CloudflareUnknown bool
	DatabaseURL       string
	DatabaseUnknown   bool
	MaxConnections    int // 0 means DefaultMaxConnections
	Supabase          *SupabaseConfig
	SupabaseUnknown   bool
}

// New builds the clients. Nothing connects yet.
func New(s Settings) *Clients {
	c := &Clients{cloudflareUnknown: s.CloudflareUnknown, databaseURL: s.DatabaseURL, databaseUnknown: s.DatabaseUnknown, maxConnections: s.MaxConnections}
	if s.Cloudflare != nil {
		c.cloudflare = newCloudflare(*s.Cloudflare)
	}
	c.storageUnknown = s.SupabaseUnknown
	if s.Supabase != nil {
		c.storage, c.storageErr = newStorage(*s.Supabase)
	}
	return c
}

// CloudflareUnknown reports that the Cloudflare settings are not known until
// apply; plan-time lookups should mark their results unknown instead.
func (c *Clients) CloudflareUnknown() bool { return c.cloudflareUnknown }

// DatabaseUnknown reports that the database URL is not known until apply.
func (c *Clients) DatabaseUnknown() bool { return c.databaseUnknown }

// Cloudflare returns the client, or an error diagnostic saying which setting
// or variable to provide.
func (c *Clients) Cloudflare() (*Cloudflare, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case c.cloudflareUnknown:
		diags.AddError("Cloudflare settings not known yet",
			"The provider's cloudflare settings depend on values that are only known after apply. "+
				"Apply the resources they come from first (for example with -target), or set them from variables.")
	case c.cloudflare == nil:
		diags.AddError("Cloudflare is not configured",
			"This resource manages Cloudflare objects, but the provider has no Cloudflare API token. "+
				"Set cloudflare.api_token in the provider block or the CLOUDFLARE_API_TOKEN environment variable.")
	}
	return c.cloudflare, diags
}

// CloudflareAccount is Cloudflare plus the account id account-scoped
// resources need.
func (c *Clients) CloudflareAccount() (*Cloudflare, diag.Diagnostics) {
	cf, diags := c.Cloudflare()
	if diags.HasError() {
		return nil, diags
	}
	if cf.AccountID == "" {
		diags.AddError("Cloudflare account id is not configured",
			"This resource belongs to a Cloudflare account. Set cloudflare.account_id in the provider block "+
				"or the CLOUDFLARE_ACCOUNT_ID environment variable.")
	}
	return cf, diags
}

// Storage returns the Supabase Storage client, or an error diagnostic
// saying which setting or variable to provide.
func (c *Clients) Storage() (*Storage, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case c.storageUnknown:
		diags.AddError("Supabase settings not known yet",
			"The provider's supabase settings depend on values that are only known after apply. "+
				"Apply the resources they come from first, or set them from variables.")
	case c.storageErr != nil:
		diags.AddError("Cannot use the Supabase settings", c.storageErr.Error()+".")
	case c.storage == nil:
		diags.AddError("Supabase is not configured",
			"This resource manages Supabase Storage, but the provider has no Supabase URL and service role key. "+
				"Set supabase.url and supabase.service_role_key in the provider block, or SUPABASE_URL and "+
				"SUPABASE_SERVICE_ROLE_KEY (the project URL and the service_role key from the Supabase dashboard, "+
				"Project Settings > API).")
	}
	return c.storage, diags
}

// SupabaseUnknown reports that the Supabase settings are not known until apply.
func (c *Clients) SupabaseUnknown() bool { return c.storageUnknown }

// Database returns the pool, connecting on first use.
func (c *Clients) Database(ctx context.Context) (*pgxpool.Pool, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case c.databaseUnknown:
		diags.AddError("Database URL not known yet",
			"The provider's database.url depends on values that are only known after apply. "+
				"Apply the resources it comes from first, or set it from a variable.")
		return nil, diags
	case c.databaseURL == "":
		diags.AddError("Database is not configured",
			"This resource manages objects in the Supabase Postgres database, but the provider has no database URL. "+
				"Set database.url in the provider block or the SUPABASE_DB_URL environment variable "+
				"(the connection string from the Supabase dashboard, Project Settings > Database).")
		return nil, diags
	}
	c.poolOnce.Do(func() {
		// The pool outlives this request: it serves every resource of the run.
		c.pool, c.poolErr = openPool(context.WithoutCancel(ctx), c.databaseURL, c.maxConnections)
	})
	if c.poolErr != nil {
		diags.AddError("Cannot use the database URL", c.poolErr.Error())
	}
	return c.pool, diags
}
