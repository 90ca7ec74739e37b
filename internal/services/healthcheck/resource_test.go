package healthcheck_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

const (
	addr = "officehours_health_check.api"
	zone = localapi.DefaultZone
)

// origin is where the local API's probes land: /health answers ok until
// failing is set.
type origin struct {
	failing atomic.Bool
	hits    atomic.Int64
}

func (o *origin) RoundTrip(req *http.Request) (*http.Response, error) {
	o.hits.Add(1)
	rec := httptest.NewRecorder()
	switch {
	case req.URL.Path != "/health" || req.Host != "api."+zone:
		rec.WriteHeader(http.StatusNotFound)
	case o.failing.Load():
		rec.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(rec, `{"status":"failing"}`)
	default:
		fmt.Fprint(rec, `{"status":"ok"}`)
	}
	return rec.Result(), nil
}

// start serves a local API whose health checks run at a hundredth of
// their intervals (a 300 s check every 3 s) against o.
func start(t *testing.T, o *origin) *acctest.Cloudflare {
	cf := acctest.NewCloudflareWith(t, localapi.Config{TimeScale: 0.01})
	cf.SetOrigins(o)
	return cf
}

func config(cf *acctest.Cloudflare, extra string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_health_check" "api" {
  zone_id           = %q
  name              = "api-health"
  address           = "api.%s"
  type              = "HTTPS"
  path              = "/health"
  interval          = 300
  consecutive_fails = 3
  expected_body     = "\"status\":\"ok\""
%s
}
`, cf.ZoneID(zone), zone, extra)
}

type check struct {
	ID, Status    string
	FailureReason string `json:"failure_reason"`
	Interval      int
	HTTPConfig    struct{ Port int } `json:"http_config"`
}

func get(t *testing.T, cf *acctest.Cloudflare, id string) check {
	t.Helper()
	var c check
	cf.Decode(t, "GET", "/zones/"+cf.ZoneID(zone)+"/healthchecks/"+id, nil, &c)
	return c
}

// waitStatus waits for the local API's probes to bring the check to want.
func waitStatus(t *testing.T, cf *acctest.Cloudflare, id, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if get(t, cf, id).Status == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("health check %s did not turn %s: %+v", id, want, get(t, cf, id))
}

// The check is created with Cloudflare's defaults for what is not written,
// runs, turns unhealthy after three failed probes with Cloudflare's reason,
// and none of that plans a change; import, drift and re-creation as for
// every resource.
func TestAccHealthCheck_lifecycleStatusImportAndDrift(t *testing.T) {
	o := &origin{}
	cf := start(t, o)
	var id string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			var list []check
			cf.Decode(t, "GET", "/zones/"+cf.ZoneID(zone)+"/healthchecks", nil, &list)
			if len(list) != 0 {
				return fmt.Errorf("health checks left after destroy: %+v", list)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(cf, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("port"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("method"), knownvalue.StringExact("GET")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("retries"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeout"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("unknown")),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[addr].Primary.ID
					if c := get(t, cf, id); c.HTTPConfig.Port != 443 || c.Interval != 300 {
						return fmt.Errorf("API has %+v", c)
					}
					return nil
				},
			},
			{ // probes ran: healthy, and nothing to change
				PreConfig:        func() { waitStatus(t, cf, id, "healthy") },
				Config:           config(cf, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("healthy")),
				},
			},
			{ // the API fails: unhealthy after three probes, with the reason
				PreConfig:        func() { o.failing.Store(true); waitStatus(t, cf, id, "unhealthy") },
				Config:           config(cf, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("unhealthy")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("failure_reason"), knownvalue.StringExact("Response code mismatch error")),
				},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return cf.ZoneID(zone) + "/" + id, nil },
				Config:            config(cf, ""),
			},
			{ // changed in the dashboard: set back
				PreConfig: func() {
					cf.Call(t, "PUT", "/zones/"+cf.ZoneID(zone)+"/healthchecks/"+id, map[string]any{
						"name": "api-health", "address": "api." + zone, "type": "HTTPS", "interval": 600,
						"http_config": map[string]any{"path": "/health", "expected_codes": []string{"2xx"}},
					})
				},
				Config: config(cf, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if c := get(t, cf, id); c.Interval != 300 {
						return fmt.Errorf("not set back: %+v", c)
					}
					return nil
				},
			},
			{ // suspended: no probes, status suspended
				Config: config(cf, "  suspended = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("suspended")),
				},
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() { cf.Call(t, "DELETE", "/zones/"+cf.ZoneID(zone)+"/healthchecks/"+id, nil) },
				Config:    config(cf, "  suspended = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

func TestAccHealthCheck_badInputRefusedAtPlan(t *testing.T) {
	cf := start(t, &origin{})
	for _, tc := range []struct{ name, extra, want string }{
		{"interval", "  timeout = 5\n  port = 443\n  method = \"POST\"", `(?s)method.*GET`},
		{"timeout", "  timeout = 300", `(?s)timeout.*below interval`},
		{"codes", "  expected_codes = [\"ok\"]", `(?s)expected_codes.*status code`},
		{"retries", "  retries = 9", `(?s)retries`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: config(cf, tc.extra), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want),
			}}})
		})
	}
	t.Run("name and interval", func(t *testing.T) {
		bad := acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_health_check" "api" {
  zone_id  = %q
  name     = "api health"
  address  = "api.%s"
  interval = 30
}
`, cf.ZoneID(zone), zone)
		acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
			Config: bad, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)name.*letters, digits.*interval.*between 60 and 3600|(?s)interval.*between 60 and 3600.*name`),
		}}})
	})
	var list []check
	cf.Decode(t, "GET", "/zones/"+cf.ZoneID(zone)+"/healthchecks", nil, &list)
	if len(list) != 0 {
		t.Fatalf("bad input changed something: %+v", list)
	}
}

// The data source reads what the probes found, fresh on each run.
func TestAccHealthCheckDataSource_readsTheStatus(t *testing.T) {
	o := &origin{}
	o.failing.Store(true)
	cf := start(t, o)
	withData := config(cf, "") + `
data "officehours_health_check" "api" {
  zone_id = officehours_health_check.api.zone_id
  id      = officehours_health_check.api.id
}
`
	var id string
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config: config(cf, ""),
			Check: func(s *terraform.State) error {
				id = s.RootModule().Resources[addr].Primary.ID
				return nil
			},
		},
		{
			PreConfig: func() { waitStatus(t, cf, id, "unhealthy") },
			Config:    withData,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.officehours_health_check.api", tfjsonpath.New("status"), knownvalue.StringExact("unhealthy")),
				statecheck.ExpectKnownValue("data.officehours_health_check.api", tfjsonpath.New("failure_reason"), knownvalue.StringExact("Response code mismatch error")),
			},
		},
	}})
}
