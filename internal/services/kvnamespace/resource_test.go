package kvnamespace_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

const addr = "officehours_kv_namespace.cache"

func config(cf *acctest.Cloudflare, title string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_kv_namespace" "cache" {
  title = %q
}
`, title)
}

type namespace struct{ ID, Title string }

func namespaces(t *testing.T, cf *acctest.Cloudflare) []namespace {
	t.Helper()
	var list []namespace
	cf.Decode(t, "GET", cf.AccountPath("/storage/kv/namespaces?per_page=100"), nil, &list)
	return list
}

// stateID reads the namespace id Terraform recorded.
func stateID(s *terraform.State) string { return s.RootModule().Resources[addr].Primary.ID }

func checkDestroyed(cf *acctest.Cloudflare, t *testing.T) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := namespaces(t, cf); len(left) != 0 {
			return fmt.Errorf("namespaces left after destroy: %+v", left)
		}
		return nil
	}
}

func TestAccKVNamespace_lifecycleImportAndDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	var id string
	acctest.Test(t, resource.TestCase{
		CheckDestroy: checkDestroyed(cf, t),
		Steps: []resource.TestStep{
			{ // create; the framework also checks that a second plan is empty
				Config: config(cf, "cf-office-hours-cache-development"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("title"), knownvalue.StringExact("cf-office-hours-cache-development")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				},
				Check: func(s *terraform.State) error {
					id = stateID(s)
					if got := namespaces(t, cf); len(got) != 1 || got[0].ID != id {
						return fmt.Errorf("API has %+v, state has %s", got, id)
					}
					return nil
				},
			},
			{ // a second identical config plans nothing
				Config:           config(cf, "cf-office-hours-cache-development"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // rename updates in place, keeping the id
				Config: config(cf, "cf-office-hours-cache-dev"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					if stateID(s) != id {
						return fmt.Errorf("rename replaced the namespace: %s -> %s", id, stateID(s))
					}
					return nil
				},
			},
			{ // import by namespace id
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				Config: config(cf, "cf-office-hours-cache-dev"),
			},
			{ // renamed out of band: drift shows as an in-place update back
				PreConfig: func() {
					cf.Call(t, "PUT", cf.AccountPath("/storage/kv/namespaces/"+id), map[string]string{"title": "renamed-in-dashboard"})
				},
				Config: config(cf, "cf-office-hours-cache-dev"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("title"), knownvalue.StringExact("cf-office-hours-cache-dev")),
				},
			},
			{ // deleted out of band: planned for re-creation
				PreConfig: func() { cf.Call(t, "DELETE", cf.AccountPath("/storage/kv/namespaces/"+id), nil) },
				Config:    config(cf, "cf-office-hours-cache-dev"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if got := namespaces(t, cf); len(got) != 1 || got[0].ID == id {
						return fmt.Errorf("expected one new namespace, API has %+v", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccKVNamespace_badInput(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{ // an apply: refused at validate, before any request
			Config:      config(cf, ""),
			ExpectError: regexp.MustCompile(`(?s)Attribute title string length must be between 1 and 512`),
		}},
	})
	if n := cf.Requests().Total(); n != 0 {
		t.Fatalf("bad input sent %d requests: %v", n, cf.Requests().Counts())
	}
}

func TestAccKVNamespace_titleTakenNamesTheID(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	var existing namespace
	cf.Decode(t, "POST", cf.AccountPath("/storage/kv/namespaces"), map[string]string{"title": "taken"}, &existing)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      config(cf, "taken"),
			ExpectError: regexp.MustCompile(`already exists in this account \(id\s+` + existing.ID + `\)\.\s+Import it`),
		}},
	})
	if got := namespaces(t, cf); len(got) != 1 {
		t.Fatalf("expected only the pre-existing namespace, got %+v", got)
	}
}

// Under injected 429s, 5xx and dropped connections (some after the server
// made the change), every namespace still ends up existing exactly once.
func TestAccKVNamespace_faultsLeaveExactlyOneEach(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := acctest.ProviderBlock(cf, "")
	var want []string
	for i := range 5 {
		title := fmt.Sprintf("faulty-%d", i)
		want = append(want, title)
		cfg += fmt.Sprintf("resource \"officehours_kv_namespace\" \"n%d\" {\n  title = %q\n}\n", i, title)
	}
	cf.SetFaults(localapi.Faults{RateLimitShare: 0.15, ServerErrorShare: 0.2, DropShare: 0.1, Seed: 7})
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(*terraform.State) error {
				cf.SetFaults(localapi.Faults{})
				var got []string
				for _, ns := range namespaces(t, cf) {
					got = append(got, ns.Title)
				}
				sort.Strings(got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					return fmt.Errorf("namespaces after a faulty apply: %v, want %v", got, want)
				}
				return nil
			},
		}},
	})
	// The faults must really have struck creates: more POSTs than namespaces.
	if posts := cf.Requests().Counts()["POST /client/v4/accounts/{account_id}/storage/kv/namespaces"]; posts <= len(want) {
		t.Fatalf("only %d create requests for %d namespaces: the faults did not strike", posts, len(want))
	}
}

// A well-formed token without the permission is answered 403/10000
// (mailflare#1, TPC#3292); the error names the permission the token needs.
func TestAccKVNamespace_missingPermissionIsNamed(t *testing.T) {
	const readOnly = "read-only-token-0123456789abcdefghijklmn"
	cf := acctest.NewCloudflareWith(t, localapi.Config{RestrictedTokens: map[string][]string{readOnly: {"Workers KV Storage Read"}}})
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      strings.Replace(config(cf, "cf-office-hours-cache"), acctest.Token, readOnly, 1),
			ExpectError: regexp.MustCompile(`(?s)HTTP 403.*Authentication error \(code 10000\).*lacks the permission\s+"Account · Workers KV Storage · Edit"`),
		}},
	})
	if got := namespaces(t, cf); len(got) != 0 {
		t.Fatalf("a refused create left %+v", got)
	}
}
