package dnsrecord_test

import (
	"encoding/json"
	"fmt"
	"regexp"
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
	addr = "officehours_dns_record.web"
	zone = "officehours.youcanjustdothings.io"
)

func config(cf *acctest.Cloudflare, body string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_dns_record" "web" {
  zone_id = %q
%s
}
`, cf.ZoneID(zone), body)
}

type record struct {
	ID, Name, Type, Content string
	Proxied                 bool
	TTL                     int
}

func records(t *testing.T, cf *acctest.Cloudflare) []record {
	t.Helper()
	var list []record
	cf.Decode(t, "GET", "/zones/"+cf.ZoneID(zone)+"/dns_records", nil, &list)
	return list
}

func TestAccDNSRecord_lifecycleImportAndDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	web := `  type    = "CNAME"
  name    = "development.officehours.youcanjustdothings.io"
  content = "cf-office-hours-development.pages.dev"
  proxied = true
  comment = "the development web app"`
	moved := `  type    = "CNAME"
  name    = "development.officehours.youcanjustdothings.io"
  content = "cf-office-hours-dev.pages.dev"
  proxied = true
  comment = "the development web app"`
	var id string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if left := records(t, cf); len(left) != 0 {
				return fmt.Errorf("records left after destroy: %+v", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // the framework also checks that the next plan is empty
				Config: config(cf, web),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[addr].Primary.ID
					if got := records(t, cf); len(got) != 1 || got[0].ID != id || !got[0].Proxied {
						return fmt.Errorf("API has %+v", got)
					}
					return nil
				},
			},
			{ // a new target updates in place
				Config: config(cf, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					if got := records(t, cf); len(got) != 1 || got[0].ID != id || got[0].Content != "cf-office-hours-dev.pages.dev" {
						return fmt.Errorf("API has %+v", got)
					}
					return nil
				},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return cf.ZoneID(zone) + "/" + id, nil },
				Config:            config(cf, moved),
			},
			{ // changed in the dashboard: set back
				PreConfig: func() {
					cf.Call(t, "PATCH", "/zones/"+cf.ZoneID(zone)+"/dns_records/"+id, map[string]any{"content": "elsewhere.example.com", "proxied": false})
				},
				Config: config(cf, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"), knownvalue.StringExact("cf-office-hours-dev.pages.dev")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxied"), knownvalue.Bool(true)),
				},
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() { cf.Call(t, "DELETE", "/zones/"+cf.ZoneID(zone)+"/dns_records/"+id, nil) },
				Config:    config(cf, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// What Cloudflare would refuse or silently change is refused before
// anything is sent, naming the attribute.
func TestAccDNSRecord_badInputRefusedAtPlan(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	for _, tc := range []struct {
		name, body string
		want       string
	}{
		{"A content", "  type = \"A\"\n  name = \"api.officehours.youcanjustdothings.io\"\n  content = \"300.1.1.1\"", `(?s)content.*IPv4 address`},
		{"IPv6 form", "  type = \"AAAA\"\n  name = \"api.officehours.youcanjustdothings.io\"\n  content = \"2001:DB8:0:0:0:0:0:1\"", `(?s)content.*as "2001:db8::1"`},
		{"CNAME dot", "  type = \"CNAME\"\n  name = \"www.officehours.youcanjustdothings.io\"\n  content = \"x.pages.dev.\"", `(?s)content.*without a\s+trailing dot`},
		{"proxied TXT", "  type = \"TXT\"\n  name = \"t.officehours.youcanjustdothings.io\"\n  content = \"v=1\"\n  proxied = true", `(?s)proxied.*Only A, AAAA and CNAME`},
		{"proxied TTL", "  type = \"A\"\n  name = \"a.officehours.youcanjustdothings.io\"\n  content = \"192.0.2.1\"\n  proxied = true\n  ttl = 300", `(?s)automatic TTL.*Remove ttl or set it to 1`},
		{"MX priority", "  type = \"MX\"\n  name = \"officehours.youcanjustdothings.io\"\n  content = \"mx.example.com\"", `(?s)needs a priority.*Set priority`},
		{"bad TTL", "  type = \"A\"\n  name = \"a.officehours.youcanjustdothings.io\"\n  content = \"192.0.2.1\"\n  ttl = 30", `(?s)ttl`},
		{"name outside the zone", "  type = \"A\"\n  name = \"api.example.com\"\n  content = \"192.0.2.1\"", `(?s)name.*not in zone officehours\.youcanjustdothings\.io.*api\.example\.com\.officehours`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: config(cf, tc.body), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want),
			}}})
		})
	}
	if got := records(t, cf); len(got) != 0 {
		t.Fatalf("bad input changed something: %+v", got)
	}
}

// A CNAME cannot share its name (81053): the error names what is there
// with its import id.
func TestAccDNSRecord_collisionNamesTheRecordToImport(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	var existing record
	if err := json.Unmarshal(cf.Call(t, "POST", "/zones/"+cf.ZoneID(zone)+"/dns_records",
		map[string]any{"type": "A", "name": "www", "content": "192.0.2.1", "ttl": 1}), &existing); err != nil {
		t.Fatal(err)
	}
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config:      config(cf, "  type = \"CNAME\"\n  name = \"www.officehours.youcanjustdothings.io\"\n  content = \"x.pages.dev\""),
		ExpectError: regexp.MustCompile(`(?s)conflicting record.*81053.*A 192\.0\.2\.1 \(import id\s+` + cf.ZoneID(zone) + `/` + existing.ID),
	}}})
}
