package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

func (p *officehoursProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Deploys the CF Office Hours platform: Cloudflare Workers, KV, Pages and routes " +
			"through the Cloudflare v4 API, and the Supabase Postgres schema (migrations, Row Level Security) " +
			"through a direct database connection. Each block is optional: a configuration that uses only " +
			"one backend works without the other.",
		Attributes: map[string]schema.Attribute{
			"cloudflare": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Cloudflare API settings. Every value falls back to the environment variable wrangler reads, so one shell setup serves both.",
				Attributes: map[string]schema.Attribute{
					"api_token": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "API token. Falls back to `CLOUDFLARE_API_TOKEN`. Never logged, even at `TF_LOG=TRACE`.",
					},
					"account_id": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Account id for account-scoped resources. Falls back to `CLOUDFLARE_ACCOUNT_ID`.",
					},
					"base_url": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("API base URL. Falls back to `CLOUDFLARE_API_BASE_URL`, then `%s`. "+
							"Point it at the local stack (`make local-up`) to try the provider without an account.", clients.DefaultBaseURL),
					},
					"requests_per_second": schema.Float64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("Client-side rate limit. The default, %.1f with a burst of 30, keeps one "+
							"Terraform run within Cloudflare's 1,200 requests per 5 minutes.", clients.DefaultRequestsPerSecond),
						Validators: []validator.Float64{float64validator.Between(0.1, 10000)},
					},
					"max_retries": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("How often a request is sent again after HTTP 429 (honouring `Retry-After`), "+
							"a 5xx answer or a connection error. Default %d. Requests that change state are resent only "+
							"when Cloudflare cannot have processed them.", clients.DefaultMaxRetries),
						Validators: []validator.Int64{int64validator.Between(0, 20)},
					},
				},
			},
			"database": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "The Supabase Postgres database.",
				Attributes: map[string]schema.Attribute{
					"url": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "Connection string as the Supabase dashboard shows it (direct connection or " +
							"session pooler). Falls back to `SUPABASE_DB_URL`. A host other than loopback is reached " +
							"over TLS (`sslmode=require`) unless the URL sets `sslmode` itself.",
					},
				},
			},
		},
	}
}
