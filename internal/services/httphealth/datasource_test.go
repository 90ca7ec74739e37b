package httphealth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// The data source reads the design's health answer; in a check block, a
// failing or unreachable endpoint is a warning, and the apply succeeds.
func TestAccHTTPHealth_readsTheAnswerAndOnlyWarnsInACheck(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"status":"failing"}`)
			return
		}
		fmt.Fprint(w, `{"status":"ok","timestamp":"2026-12-01T00:00:00Z","environment":"development","version":"2026.12.1"}`)
	}))
	t.Cleanup(api.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close() // nothing listens there any more
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config: acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
data "officehours_http_health" "api" {
  url = "%s/health"
}
`, api.URL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.officehours_http_health.api", tfjsonpath.New("status"), knownvalue.StringExact("ok")),
				statecheck.ExpectKnownValue("data.officehours_http_health.api", tfjsonpath.New("status_code"), knownvalue.Int64Exact(200)),
				statecheck.ExpectKnownValue("data.officehours_http_health.api", tfjsonpath.New("environment"), knownvalue.StringExact("development")),
			},
		},
		{ // a failing and an unreachable endpoint: warnings, the apply succeeds, the next plan is empty
			Config: acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
data "officehours_http_health" "failing" {
  url = "%s/other"
}

data "officehours_http_health" "down" {
  url = "%s/health"
}

check "api_health" {
  assert {
    condition     = data.officehours_http_health.failing.status == "ok" && data.officehours_http_health.down.status == "ok"
    error_message = "the API does not answer ok"
  }
}
`, api.URL, downURL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.officehours_http_health.failing", tfjsonpath.New("status_code"), knownvalue.Int64Exact(503)),
				statecheck.ExpectKnownValue("data.officehours_http_health.down", tfjsonpath.New("status_code"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.officehours_http_health.down", tfjsonpath.New("error"), knownvalue.StringRegexp(regexp.MustCompile(`connection refused`))),
			},
		},
	}})
}
