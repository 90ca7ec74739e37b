package workerscript_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

const uploads = "PUT /client/v4" + scriptRoute

// A namespace and the Worker binding it in one apply: the upload is refused
// (10041) until the new namespace is visible to Workers, then made.
func TestAccWorkerScript_namespaceCreatedInTheSameApplyIsWaitedFor(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config(cf, scriptConfig{main: bundle(t, filepath.Join(t.TempDir(), "v1"), "v1")}),
			Check: func(*terraform.State) error {
				if n := cf.Requests().Counts()[uploads]; n < 2 {
					return fmt.Errorf("%d uploads: the propagation delay never refused one", n)
				}
				return nil
			},
		}},
	})
}

// A namespace id that does not exist is retried for SettleTimeout, then
// named as a misconfiguration.
func TestAccWorkerScript_missingNamespaceIsNamed(t *testing.T) {
	old := clients.SettleTimeout
	clients.SettleTimeout = 2 * time.Second
	t.Cleanup(func() { clients.SettleTimeout = old })
	cf := acctest.NewCloudflare(t)
	cfg := strings.Replace(config(cf, scriptConfig{main: bundle(t, filepath.Join(t.TempDir(), "v1"), "v1")}),
		"CACHE = officehours_kv_namespace.cache.id", `CACHE = "0123456789abcdef0123456789abcdef"`, 1)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)10041.*still\s+refused\s+after.*do\s+not\s+exist\s+in\s+the\s+account:\s+0123456789abcdef0123456789abcdef\s+\(binding\s+CACHE\)`),
		}},
	})
}

// A Durable Object binding to an undeclared class of this script is refused
// at validate (Cloudflare answers 10061 only once the apply has begun).
func TestAccWorkerScript_bindingToAnUndeclaredClassRefusedAtValidate(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      config(cf, scriptConfig{main: bundle(t, filepath.Join(t.TempDir(), "v1"), "v1", "SlotGenerator"), doBinding: "SlotGenerator"}),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Durable Object class not declared.*SLOT_GENERATOR.*SlotGenerator.*10061.*durable_object_classes\s+=\s+\{\s+SlotGenerator\s+=\s+\{\}\s+\}`),
		}},
	})
	if n := cf.Requests().Total(); n != 0 {
		t.Fatalf("validation sent %d requests", n)
	}
}
