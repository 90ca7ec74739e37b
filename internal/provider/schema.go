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
			"through a direct database connection, and Supabase Storage buckets through the project's Storage API. " +
			"Each block is optional: a configuration that uses only one backend works without the others.",
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
					"requests_per_five_minutes": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("How many API requests the provider may send in any five minutes. Cloudflare "+
							"allows %d per token in five minutes, and blocks a token past them for five minutes; the default, %d, "+
							"leaves the rest to the other tools that share the token (wrangler, the dashboard, other pipelines, the "+
							"next provider process of the same run). Requests go at full speed until the window is used up and only "+
							"then wait. Every Cloudflare answer says what the token has left (its `Ratelimit` header, counted by "+
							"Cloudflare across every tool), and the provider holds to its share of that too, so the plan and the "+
							"apply of one run never add up past the window. A 429 answer holds every request back for its `Retry-After`.",
							clients.CloudflareWindowRequests, clients.DefaultRequestBudget),
						Validators: []validator.Int64{int64validator.Between(1, 1_000_000)},
					},
					"requests_per_second": schema.Float64Attribute{
						Optional: true,
						MarkdownDescription: "An optional cap on the request rate, on top of `requests_per_five_minutes`. " +
							"None by default.",
						Validators: []validator.Float64{float64validator.Between(0.1, 10000)},
					},
					"max_retries": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("How often a request is sent again after HTTP 429 (honouring `Retry-After`), "+
							"a connection that could not be made, and for reads a 5xx answer or a lost answer. Default %d. "+
							"A change whose answer was lost is resolved by looking the object up before sending it again, "+
							"so retries never create duplicates.", clients.DefaultMaxRetries),
						Validators: []validator.Int64{int64validator.Between(0, 20)},
					},
				},
			},
			"supabase": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "The Supabase project's APIs: Storage, for `officehours_storage_bucket`.",
				Attributes: map[string]schema.Attribute{
					"url": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "The project URL, `https://<project-ref>.supabase.co` (the local stack's is in " +
							"`.officehours/local.env`). Falls back to `SUPABASE_URL`.",
					},
					"service_role_key": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "The project's `service_role` key (Project Settings > API), which bypasses row " +
							"level security as Storage's admin operations need. Falls back to `SUPABASE_SERVICE_ROLE_KEY`, " +
							"the name the Worker's secret already has. Never logged, even at `TF_LOG=TRACE`.",
					},
				},
			},
			"database": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "The Supabase Postgres database.",
				Attributes: map[string]schema.Attribute{
					"url": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "Connection string as the Supabase dashboard shows it: the direct connection " +
							"(`db.<project-ref>.supabase.co:5432`, IPv6 only) or the session pooler " +
							"(`postgres.<project-ref>@aws-0-<region>.pooler.supabase.com:5432`, which has IPv4, as GitHub's " +
							"runners need). The transaction pooler (port 6543) is refused: the migrations hold a session lock. " +
							"Falls back to `SUPABASE_DB_URL`. A host other than loopback is reached over TLS " +
							"(`sslmode=require`) unless the URL sets `sslmode` itself.",
					},
					"max_connections": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("How many connections the provider opens at most (default %d). Supabase's "+
							"session pooler admits about 15 clients per project, shared with the application.", clients.DefaultMaxConnections),
						Validators: []validator.Int64{int64validator.Between(1, 100)},
					},
				},
			},
		},
	}
}
