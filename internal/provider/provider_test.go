package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

const kvConfig = `
resource "officehours_kv_namespace" "cache" {
  title = "logged"
}
`

// The API token must not appear in any log line, even at TRACE, neither in
// Terraform's nor in the provider's (which the test sink writes to the same
// file). The token comes from the environment, as in CI: written into the
// configuration text, the test framework itself would log it.
func TestAccProvider_tokenNeverInTraceLogs(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("CLOUDFLARE_API_TOKEN", acctest.Token)
	t.Setenv("CLOUDFLARE_ACCOUNT_ID", cf.AccountID())
	t.Setenv("CLOUDFLARE_API_BASE_URL", cf.URL)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{Config: kvConfig}},
	})
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The log must really hold the provider's request lines, or the check below proves nothing.
	if !strings.Contains(string(logs), "Cloudflare API request") {
		t.Fatalf("the TRACE log (%d bytes) has no provider request lines", len(logs))
	}
	if strings.Contains(string(logs), acctest.Token) {
		for _, line := range strings.Split(string(logs), "\n") {
			if strings.Contains(line, acctest.Token) {
				t.Fatalf("token found in TRACE log: %.300s", line)
			}
		}
	}
}

// A configuration that uses only the database still validates and plans;
// a Cloudflare resource then fails saying which setting to provide.
func TestAccProvider_missingBackendNamesTheSetting(t *testing.T) {
	t.Setenv("CLOUDFLARE_API_TOKEN", "")
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderBlock(nil, "postgresql://postgres:pw@127.0.0.1:1/postgres") + kvConfig,
			ExpectError: regexp.MustCompile(`(?s)Cloudflare is not configured.*CLOUDFLARE_API_TOKEN`),
		}},
	})
}

func TestAccProvider_badDatabaseURLNamesTheAttribute(t *testing.T) {
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderBlock(nil, "mysql://root:hunter2@db.example.com/x") + kvConfig,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid database URL.*database.url or SUPABASE_DB_URL`),
		}},
	})
}

// Provider settings unknown at plan time (here the base URL comes from a
// resource) must not crash the plan; apply configures the provider once
// the value is known.
func TestAccProvider_unknownSettingsAtPlanTime(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := `
resource "terraform_data" "endpoint" {
  input = "` + cf.URL + `"
}
provider "officehours" {
  cloudflare = {
    api_token  = "` + acctest.Token + `"
    account_id = "` + cf.AccountID() + `"
    base_url   = terraform_data.endpoint.output
  }
}
` + kvConfig
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{Config: cfg}},
	})
}
