package notificationpolicy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
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
	addr = "officehours_notification_policy.api_down"
	zone = localapi.DefaultZone
)

// origin answers the probes: 200 until failing is set, then 503.
type origin struct{ failing atomic.Bool }

func (o *origin) RoundTrip(*http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if o.failing.Load() {
		rec.WriteHeader(http.StatusServiceUnavailable)
	}
	return rec.Result(), nil
}

// emails are the policy's targets.
const emails = `"oncall@youcanjustdothings.io", "platform@youcanjustdothings.io"`

func config(cf *acctest.Cloudflare) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_health_check" "api" {
  zone_id           = %q
  name              = "api-health"
  address           = "api.%s"
  path              = "/health"
  interval          = 300
  consecutive_fails = 3
}

resource "officehours_notification_policy" "api_down" {
  name          = "API health"
  description   = "The API's /health stopped answering"
  alert_type    = "health_check_status_notification"
  email_targets = [%s]
  filters = {
    health_check_id = [officehours_health_check.api.id]
    status          = ["Unhealthy", "Healthy"]
  }
}
`, cf.ZoneID(zone), zone, emails)
}

type sent struct {
	AlertBody     string `json:"alert_body"`
	Mechanism     string
	MechanismType string `json:"mechanism_type"`
	PolicyID      string `json:"policy_id"`
}

func history(t *testing.T, cf *acctest.Cloudflare) []sent {
	var list []sent
	cf.Decode(t, "GET", cf.AccountPath("/alerting/v3/history"), nil, &list)
	return list
}

// The policy is created, imported and set back after a dashboard edit; a
// health check turning unhealthy sends its alert to each address, which the
// account's alert history shows.
func TestAccNotificationPolicy_lifecycleAlertImportAndDrift(t *testing.T) {
	o := &origin{}
	cf := acctest.NewCloudflareWith(t, localapi.Config{TimeScale: 0.01})
	cf.SetOrigins(o)
	var id string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			var list []map[string]any
			cf.Decode(t, "GET", cf.AccountPath("/alerting/v3/policies"), nil, &list)
			if len(list) != 0 {
				return fmt.Errorf("policies left after destroy: %v", list)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(cf),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email_targets"), knownvalue.SetSizeExact(2)),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[addr].Primary.ID
					return nil
				},
			},
			{ // the API fails: one alert per address, naming the reason
				PreConfig: func() {
					o.failing.Store(true)
					deadline := time.Now().Add(30 * time.Second)
					for len(history(t, cf)) < 2 && time.Now().Before(deadline) {
						time.Sleep(100 * time.Millisecond)
					}
					got := history(t, cf)
					if len(got) != 2 || got[0].PolicyID != id || got[0].MechanismType != "email" ||
						!strings.Contains(got[0].AlertBody, "Unhealthy") || !strings.Contains(got[0].AlertBody, "Response code mismatch error") {
						t.Fatalf("alert history: %+v", got)
					}
				},
				Config:           config(cf),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil },
				Config:            config(cf),
			},
			{ // changed in the dashboard: set back
				PreConfig: func() {
					cf.Call(t, "PUT", cf.AccountPath("/alerting/v3/policies/"+id), map[string]any{
						"name": "API health", "alert_type": "health_check_status_notification", "enabled": false,
						"mechanisms": map[string]any{"email": []map[string]string{{"id": "someone@example.com"}}},
					})
				},
				Config: config(cf),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() { cf.Call(t, "DELETE", cf.AccountPath("/alerting/v3/policies/"+id), nil) },
				Config:    config(cf),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

func TestAccNotificationPolicy_badInputRefusedAtPlan(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	policy := func(body string) string {
		return acctest.ProviderBlock(cf, "") + `
resource "officehours_notification_policy" "api_down" {
  name       = "API health"
  alert_type = "health_check_status_notification"
` + body + "\n}\n"
	}
	for _, tc := range []struct{ name, body, want string }{
		{"no target", `  filters = { status = ["Unhealthy"] }`, `(?s)No one to alert.*Set email_targets or webhook_ids`},
		{"status case", "  email_targets = [\"oncall@youcanjustdothings.io\"]\n  filters = { status = [\"unhealthy\"] }", `(?s)filters.status takes "Healthy" and\s+"Unhealthy".*got "unhealthy"`},
		{"filter name", "  email_targets = [\"oncall@youcanjustdothings.io\"]\n  filters = { pool_id = [\"x\"] }", `(?s)takes health_check_id and\s+status;\s+remove pool_id`},
		{"email", `  email_targets = ["oncall"]`, `(?s)email_targets.*email address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: policy(tc.body), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want),
			}}})
		})
	}
	var list []map[string]any
	cf.Decode(t, "GET", cf.AccountPath("/alerting/v3/policies"), nil, &list)
	if len(list) != 0 {
		t.Fatalf("bad input changed something: %v", list)
	}
}
