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

// cname is the record a Pages domain needs: Cloudflare creates none.
func cname(label, name string) string {
	return fmt.Sprintf(`
resource "officehours_dns_record" %q {
  zone_id = %q
  type    = "CNAME"
  name    = %q
  content = officehours_pages_project.web.subdomain
  proxied = true
}
`, label, "${ZONE}", name)
}

// Cloudflare creates no DNS record for a Pages domain (the official
// provider's docs/resources/pages_domain.md): without the CNAME the wait
// fails and names the record to create; with it the domain turns active.
func TestAccPagesDomain_activeThroughItsCNAME(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	zoneID := cf.ZoneID("officehours.youcanjustdothings.io")
	wait := func(timeout string) string {
		return fmt.Sprintf("wait_for_active = true\n  timeouts        = { create = %q }\n  depends_on      = [officehours_dns_record.production, officehours_dns_record.staging]", timeout)
	}
	noRecords := acctest.ProviderBlock(cf, "") + project() +
		domain("staging", "staging.officehours.youcanjustdothings.io", `wait_for_active = true
  timeouts        = { create = "3s" }`)
	withRecords := strings.ReplaceAll(acctest.ProviderBlock(cf, "")+project()+
		cname("production", "officehours.youcanjustdothings.io")+cname("staging", "staging.officehours.youcanjustdothings.io")+
		domain("production", "officehours.youcanjustdothings.io", wait("1m"))+
		domain("staging", "staging.officehours.youcanjustdothings.io", wait("1m")), "${ZONE}", zoneID)
	var stagingID string

	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if left := domains(t, cf); len(left) != 0 {
				return fmt.Errorf("domains left after destroy: %+v", left)
			}
			var records []json.RawMessage
			if err := json.Unmarshal(cf.Call(t, "GET", "/zones/"+zoneID+"/dns_records", nil), &records); err != nil {
				return err
			}
			if len(records) != 0 {
				return fmt.Errorf("DNS records left after destroy: %s", records)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // no record: the wait fails and says which record to create
				Config: noRecords,
				ExpectError: regexp.MustCompile(`(?s)did\s+not\s+become\s+active\s+within\s+3s.*no\s+DNS\s+record\s+for\s+staging\.officehours\.youcanjustdothings\.io.*` +
					`proxied\s+CNAME\s+staging\.officehours\.youcanjustdothings\.io\s+->\s+cf-office-hours\.pages\.dev`),
			},
			{ // with the CNAMEs (created first) both turn active; the left-over domain is taken over
				Config: withRecords,
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
				ImportStateVerifyIgnore: []string{"wait_for_active", "timeouts"},
				Config:                  withRecords,
			},
			{ // the CNAME deleted outside Terraform: re-created; the domain is pending again meanwhile
				PreConfig: func() {
					var records []struct{ ID, Name string }
					if err := json.Unmarshal(cf.Call(t, "GET", "/zones/"+zoneID+"/dns_records?name=staging.officehours.youcanjustdothings.io", nil), &records); err != nil || len(records) != 1 {
						t.Fatalf("records %+v, %v", records, err)
					}
					cf.Call(t, "DELETE", "/zones/"+zoneID+"/dns_records/"+records[0].ID, nil)
					for _, d := range domains(t, cf) {
						if d.Name == "staging.officehours.youcanjustdothings.io" && d.Status != "pending" {
							t.Fatalf("without its CNAME the domain is %s", d.Status)
						}
					}
				},
				Config: withRecords,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_dns_record.staging", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(production, plancheck.ResourceActionNoop),
				}},
			},
			{ // the domain deleted outside Terraform: planned for re-creation
				PreConfig: func() {
					cf.Call(t, "DELETE", cf.AccountPath("/pages/projects/cf-office-hours/domains/staging.officehours.youcanjustdothings.io"), nil)
				},
				Config: withRecords,
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

// Cloudflare deletes no project that has custom domains (8000028,
// cloudflare-docs#2271). Terraform destroys the domains it manages first;
// one added outside Terraform is removed by the project's destroy, which
// says so.
func TestAccPagesDomain_projectWithAForeignDomainIsDestroyed(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := acctest.ProviderBlock(cf, "") + project()
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if status, body, err := cf.Try("GET", cf.AccountPath("/pages/projects/cf-office-hours-web"), nil); err != nil || status != 404 {
				return fmt.Errorf("project left after destroy: %d %s %w", status, body, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					cf.Call(t, "POST", cf.AccountPath("/pages/projects/cf-office-hours/domains"), map[string]string{"name": "dashboard.officehours.youcanjustdothings.io"})
					return nil
				},
			},
			{ // a rename replaces the project: its old self still has the domain
				Config: strings.Replace(cfg, `name              = "cf-office-hours"`, `name              = "cf-office-hours-web"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_pages_project.web", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error {
					if status, body, _ := cf.Try("GET", cf.AccountPath("/pages/projects/cf-office-hours"), nil); status != 404 {
						return fmt.Errorf("the replaced project is still there: %d %s", status, body)
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
  timeouts        = { create = "2s" }`)
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
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", strings.TrimSuffix(cf.URL, "/client/v4")+"/__local/pages/settings", strings.NewReader(body))
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

// Bad input is refused at validate, before any request, naming the
// attribute.
func TestAccPagesDomain_badInput(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	for _, tt := range []struct{ name, body, want string }{
		// terraform-plugin-framework-timeouts' own validator; Terraform points at the resource.
		{"timeout not a duration", `timeouts = { create = "ten minutes" }`, `(?s)Invalid Attribute Value Time Duration.*"ten minutes"`},
		{"uppercase hostname", ``, `(?s)Attribute\s+name\s+must\s+be\s+a\s+lowercase\s+hostname`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cf.Requests().Reset()
			name := "staging.officehours.youcanjustdothings.io"
			if tt.body == "" {
				name = "Staging.Example.org"
			}
			acctest.Test(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderBlock(cf, "") + project() + domain("staging", name, tt.body),
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
			if n := cf.Requests().Total(); n != 0 {
				t.Fatalf("bad input sent %d requests: %v", n, cf.Requests().Counts())
			}
		})
	}
}
