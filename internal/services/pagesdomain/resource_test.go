package pagesdomain_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

const (
	production = "officehours_pages_domain.production"
	staging    = "officehours_pages_domain.staging"
)

func project() string {
	return `
resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
}
`
}

func domain(label, name, extra string) string {
	return fmt.Sprintf(`
resource "officehours_pages_domain" %q {
  project_name = officehours_pages_project.web.name
  name         = %q
  %s
}
`, label, name, extra)
}

type apiDomain struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Status         string            `json:"status"`
	ValidationData map[string]string `json:"validation_data"`
}

func domains(t *testing.T, cf *acctest.Cloudflare) []apiDomain {
	t.Helper()
	status, body, err := cf.Try("GET", cf.AccountPath("/pages/projects/cf-office-hours/domains"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if status == 404 {
		return nil
	}
	var list []apiDomain
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("%d %s: %v", status, body, err)
	}
	return list
}

func TestAccPagesDomain_officeHoursDomainsBecomeActive(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	zoneID := cf.ZoneID("officehours.youcanjustdothings.io")
	wait := `wait_for_active = true
  wait_timeout    = "1m"`
	cfg := acctest.ProviderBlock(cf, "") + project() +
		domain("production", "officehours.youcanjustdothings.io", wait) +
		domain("staging", "staging.officehours.youcanjustdothings.io", wait)
	var stagingID string

	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if left := domains(t, cf); len(left) != 0 {
				return fmt.Errorf("domains left after destroy: %+v", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(production, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(staging, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(staging, tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
					statecheck.ExpectKnownValue(staging, tfjsonpath.New("validation").AtMapKey("status"), knownvalue.StringExact("active")),
				},
				Check: func(s *terraform.State) error {
					stagingID = s.RootModule().Resources[staging].Primary.ID
					got := domains(t, cf)
					if len(got) != 2 || got[0].Status != "active" || got[1].Status != "active" {
						return fmt.Errorf("domains in Cloudflare: %+v", got)
					}
					return nil
				},
			},
			{
				ResourceName: staging, ImportState: true, ImportStateVerify: true,
				ImportStateId: "cf-office-hours/staging.officehours.youcanjustdothings.io",
				// The wait settings only apply when the domain is added; an
				// import cannot know them and takes their defaults.
				ImportStateVerifyIgnore: []string{"wait_for_active", "wait_timeout"},
				Config:                  cfg,
			},
			{ // deleted outside Terraform: planned for re-creation
				PreConfig: func() {
					cf.Call(t, "DELETE", cf.AccountPath("/pages/projects/cf-office-hours/domains/staging.officehours.youcanjustdothings.io"), nil)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(staging, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(production, plancheck.ResourceActionNoop),
				}},
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources[staging].Primary.ID; id == stagingID {
						return fmt.Errorf("staging domain kept its old id %s", id)
					}
					return nil
				},
			},
		},
	})
}

func TestAccPagesDomain_waitFailsWithStatusAndRecordThenAdopts(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := acctest.ProviderBlock(cf, "") + project() + domain("external", "www.example.org", `wait_for_active = true
  wait_timeout    = "2s"`)
	var firstID string

	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ // outside the account's zones: pending, and the error says what to add
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)not active.*did\s+not\s+become\s+active\s+within\s+2s:\s+status\s+"pending".*` +
					`TXT\s+record\s+_cf-custom-hostname\.www\.example\.org\s+with\s+the\s+value\s+[0-9a-f-]{36}.*CNAME`),
			},
			{ // the owner adds the records; the next apply takes the same domain over
				PreConfig: func() {
					got := domains(t, cf)
					if len(got) != 1 || got[0].Status != "pending" {
						t.Fatalf("after the failed wait: %+v", got)
					}
					firstID = got[0].ID
					putSettings(t, cf, `{"domain_reads_to_active":1,"external_domains_activate":true}`)
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("officehours_pages_domain.external", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("officehours_pages_domain.external", tfjsonpath.New("zone_id"), knownvalue.StringExact("")),
				},
				Check: func(*terraform.State) error {
					got := domains(t, cf)
					if len(got) != 1 || got[0].ID != firstID {
						return fmt.Errorf("expected domain %s taken over, got %+v", firstID, got)
					}
					return nil
				},
			},
		},
	})
}

// putSettings changes the local API's Pages settings (not a Cloudflare
// endpoint: it stands for DNS changes made outside Cloudflare).
func putSettings(t *testing.T, cf *acctest.Cloudflare, body string) {
	t.Helper()
	req, _ := http.NewRequest("PUT", strings.TrimSuffix(cf.URL, "/client/v4")+"/__local/pages/settings", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+acctest.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT settings: HTTP %d", resp.StatusCode)
	}
}
