package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

type providerModel struct {
	Cloudflare *cloudflareModel `tfsdk:"cloudflare"`
	Database   *databaseModel   `tfsdk:"database"`
	Supabase   *supabaseModel   `tfsdk:"supabase"`
}

type supabaseModel struct {
	URL            types.String `tfsdk:"url"`
	ServiceRoleKey types.String `tfsdk:"service_role_key"`
}

type cloudflareModel struct {
	APIToken          types.String  `tfsdk:"api_token"`
	AccountID         types.String  `tfsdk:"account_id"`
	BaseURL           types.String  `tfsdk:"base_url"`
	RequestsPerWindow types.Int64   `tfsdk:"requests_per_five_minutes"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
}

type databaseModel struct {
	URL            types.String `tfsdk:"url"`
	MaxConnections types.Int64  `tfsdk:"max_connections"`
}

// settings resolves configuration and environment fallbacks. getenv is
// os.Getenv, passed in so tests can give another environment.
func (m providerModel) settings(getenv func(string) string, userAgent string) (clients.Settings, diag.Diagnostics) {
	var s clients.Settings
	var diags diag.Diagnostics
	cf := m.Cloudflare
	if cf == nil {
		cf = &cloudflareModel{}
	}
	if anyUnknown(cf.APIToken, cf.AccountID, cf.BaseURL) {
		s.CloudflareUnknown = true
	} else if token := valueOr(cf.APIToken, getenv("CLOUDFLARE_API_TOKEN")); token != "" {
		s.Cloudflare = &clients.CloudflareConfig{
			APIToken:   token,
			AccountID:  valueOr(cf.AccountID, getenv("CLOUDFLARE_ACCOUNT_ID")),
			BaseURL:    valueOr(cf.BaseURL, getenv("CLOUDFLARE_API_BASE_URL"), clients.DefaultBaseURL),
			UserAgent:  userAgent,
			Limit:      clients.DefaultLimit(),
			MaxRetries: clients.DefaultMaxRetries,
		}
		if !cf.RequestsPerWindow.IsNull() && !cf.RequestsPerWindow.IsUnknown() {
			s.Cloudflare.Limit.Budget = int(cf.RequestsPerWindow.ValueInt64())
		}
		if !cf.RequestsPerSecond.IsNull() && !cf.RequestsPerSecond.IsUnknown() {
			s.Cloudflare.Limit.PerSecond = cf.RequestsPerSecond.ValueFloat64()
		}
		if !cf.MaxRetries.IsNull() && !cf.MaxRetries.IsUnknown() {
			s.Cloudflare.MaxRetries = int(cf.MaxRetries.ValueInt64())
		}
	}

	db := m.Database
	if db == nil {
		db = &databaseModel{}
	}
	if db.URL.IsUnknown() {
		s.DatabaseUnknown = true
	} else {
		s.DatabaseURL = valueOr(db.URL, getenv("SUPABASE_DB_URL"))
		if !db.MaxConnections.IsNull() && !db.MaxConnections.IsUnknown() {
			s.MaxConnections = int(db.MaxConnections.ValueInt64())
		}
		if s.DatabaseURL != "" {
			if _, err := clients.DatabaseConfig(s.DatabaseURL, s.MaxConnections); err != nil {
				diags.AddAttributeError(path.Root("database").AtName("url"), "Invalid database URL",
					err.Error()+". Check database.url or SUPABASE_DB_URL.")
			}
		}
	}

	sb := m.Supabase
	if sb == nil {
		sb = &supabaseModel{}
	}
	if anyUnknown(sb.URL, sb.ServiceRoleKey) {
		s.SupabaseUnknown = true
	} else if u, key := valueOr(sb.URL, getenv("SUPABASE_URL")), valueOr(sb.ServiceRoleKey, getenv("SUPABASE_SERVICE_ROLE_KEY")); u != "" || key != "" {
		// Half a configuration is reported by the resources that need it.
		s.Supabase = &clients.SupabaseConfig{URL: u, ServiceRoleKey: key}
	}
	return s, diags
}

func anyUnknown(values ...types.String) bool {
	for _, v := range values {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

// valueOr returns the configured value, else the first non-empty fallback.
func valueOr(v types.String, fallbacks ...string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	for _, f := range fallbacks {
		if f != "" {
			return f
		}
	}
	return ""
}
