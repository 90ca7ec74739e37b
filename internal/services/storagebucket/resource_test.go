package storagebucket_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

const addr = "officehours_storage_bucket.avatars"

func config(s *acctest.Storage, body string) string {
	return acctest.Providers{Storage: s}.Block() + `
resource "officehours_storage_bucket" "avatars" {
  name = "avatars"
` + body + `
}
`
}

// api calls the local Storage API out of band, as the dashboard or
// storage-js would, with the service key.
func api(t *testing.T, s *acctest.Storage, method, path string, body any) (int, []byte) {
	t.Helper()
	var reader *bytes.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case []byte:
		reader, contentType = bytes.NewReader(b), "text/plain"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+localstorage.Prefix+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.ServiceKey)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, testutil.ReadAll(t, resp.Body)
}

type bucket struct {
	ID               string   `json:"id"`
	Public           bool     `json:"public"`
	FileSizeLimit    *int64   `json:"file_size_limit"`
	AllowedMimeTypes []string `json:"allowed_mime_types"`
}

func buckets(t *testing.T, s *acctest.Storage) []bucket {
	t.Helper()
	status, body := api(t, s, "GET", "/bucket", nil)
	if status != 200 {
		t.Fatalf("listing buckets: %d %s", status, body)
	}
	var out []bucket
	testutil.Decode(t, body, &out)
	return out
}

func gone(t *testing.T, s *acctest.Storage) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := buckets(t, s); len(left) != 0 {
			return fmt.Errorf("buckets left after destroy: %+v", left)
		}
		return nil
	}
}

func TestAccStorageBucket_lifecycleDriftImport(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Second)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: gone(t, s),
		Steps: []resource.TestStep{
			{ // create: what Storage holds is what was configured
				Config: config(s, `  public = true
  file_size_limit = 1000000
  allowed_mime_types = ["image/png", "image/jpeg"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("avatars")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
				},
				Check: func(*terraform.State) error {
					b := buckets(t, s)
					if len(b) != 1 || !b[0].Public || b[0].FileSizeLimit == nil || *b[0].FileSizeLimit != 1000000 || len(b[0].AllowedMimeTypes) != 2 {
						return fmt.Errorf("Storage has %+v", b)
					}
					return nil
				},
			},
			{ // an update in place clears the limit and the MIME types
				Config:           config(s, `  public = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check: func(*terraform.State) error {
					if b := buckets(t, s); len(b) != 1 || b[0].FileSizeLimit != nil || b[0].AllowedMimeTypes != nil {
						return fmt.Errorf("after clearing, Storage has %+v", b)
					}
					return nil
				},
			},
			{ // changed in the dashboard: the plan sets it back
				PreConfig: func() {
					if status, body := api(t, s, "PUT", "/bucket/avatars", map[string]any{"public": false, "file_size_limit": 5}); status != 200 {
						t.Fatalf("out-of-band update: %d %s", status, body)
					}
				},
				Config:           config(s, `  public = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check: func(*terraform.State) error {
					if b := buckets(t, s); len(b) != 1 || !b[0].Public || b[0].FileSizeLimit != nil {
						return fmt.Errorf("not restored: %+v", b)
					}
					return nil
				},
			},
			{ // deleted in the dashboard: planned for creation
				PreConfig: func() {
					if status, body := api(t, s, "DELETE", "/bucket/avatars", map[string]any{}); status != 200 {
						t.Fatalf("out-of-band delete: %d %s", status, body)
					}
				},
				Config:           config(s, `  public = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)}},
			},
			{ // import by id plans clean
				ResourceName: addr, ImportState: true, ImportStateId: "avatars",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"force_destroy", "timeouts"},
				Config: config(s, `  public = true`),
			},
			{ // a bucket named the same outside Terraform: the error says how to import
				Config: config(s, `  public = true`) + `
resource "officehours_storage_bucket" "again" {
  name = "avatars"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Storage bucket already exists.*terraform\s+import\s+<address>\s+avatars`),
			},
		},
	})
}

// A bucket that holds objects is not destroyed, and the error says how
// many and what to do; with force_destroy it is emptied first (Storage
// queues the removal, which the destroy waits out).
func TestAccStorageBucket_destroyRefusedThenForced(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, 2*time.Second)
	acctest.Test(t, resource.TestCase{
		CheckDestroy: gone(t, s),
		Steps: []resource.TestStep{
			{
				Config: config(s, ""),
				Check: func(*terraform.State) error {
					for _, name := range []string{"a/one.png", "a/b/two.png", "three.png"} {
						if status, body := api(t, s, "POST", "/object/avatars/"+name, []byte("x")); status != 200 {
							return fmt.Errorf("upload %s: %d %s", name, status, body)
						}
					}
					return nil
				},
			},
			{ // removing it from the configuration destroys it: refused
				Config:      acctest.Providers{Storage: s}.Block(),
				ExpectError: regexp.MustCompile(`(?s)Storage bucket is not empty.*"avatars"\s+holds\s+3\s+objects.*force_destroy\s+=\s+true`),
			},
			{ // the opt-in, applied before the destroy that needs it
				Config: config(s, "  force_destroy = true"),
			},
		},
	})
}

// Bad input is refused at validate, before any request, naming the
// attribute.
func TestAccStorageBucket_badInput(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Second)
	for _, tt := range []struct{ name, hcl, want string }{
		{"bucket name with a slash", `resource "officehours_storage_bucket" "x" {
  name = "avatars/2024"
}`, `(?s)Attribute\s+name\s+must\s+be\s+1\s+to\s+100\s+of\s+letters`},
		{"leading space", `resource "officehours_storage_bucket" "x" {
  name = " avatars"
}`, `(?s)Attribute\s+name\s+must\s+be`},
		{"reserved suffix", `resource "officehours_storage_bucket" "x" {
  name = "logs--table-s3"
}`, `(?s)Reserved bucket name`},
		{"negative size limit", `resource "officehours_storage_bucket" "x" {
  name            = "x"
  file_size_limit = -1
}`, `(?s)Attribute\s+file_size_limit\s+value\s+must\s+be\s+at\s+least\s+0`},
		{"malformed MIME type", `resource "officehours_storage_bucket" "x" {
  name               = "x"
  allowed_mime_types = ["png"]
}`, `(?s)allowed_mime_types.*must\s+be\s+a\s+MIME\s+type`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			acctest.Test(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      acctest.Providers{Storage: s}.Block() + tt.hcl,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
			if b := buckets(t, s); len(b) != 0 {
				t.Fatalf("bad input created %+v", b)
			}
		})
	}
}

// Without a supabase block or its variables, a bucket says what to set.
func TestAccStorageBucket_notConfigured(t *testing.T) {
	testutil.RequireServices(t)
	t.Setenv("SUPABASE_URL", "")
	t.Setenv("SUPABASE_SERVICE_ROLE_KEY", "")
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: `resource "officehours_storage_bucket" "x" {
  name = "x"
}`,
			ExpectError: regexp.MustCompile(`(?s)Supabase is not configured.*SUPABASE_SERVICE_ROLE_KEY`),
		}},
	})
}

// The service_role key, given as the platform gives it (SUPABASE_URL and
// SUPABASE_SERVICE_ROLE_KEY), never reaches a TRACE log of Terraform or the
// provider, whose Storage requests are logged.
func TestAccStorageBucket_serviceRoleKeyNeverInTraceLogs(t *testing.T) {
	s := acctest.NewStorage(t, pgtest.NewDB(t).URL, time.Second)
	logPath := t.TempDir() + "/trace.log"
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("SUPABASE_URL", s.URL)
	t.Setenv("SUPABASE_SERVICE_ROLE_KEY", s.ServiceKey)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{Config: `resource "officehours_storage_bucket" "avatars" {
  name = "avatars"
}`}},
	})
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The log must hold the provider's Storage requests, or the check proves nothing.
	if !strings.Contains(string(logs), "Supabase Storage request") {
		t.Fatalf("the TRACE log (%d bytes) has no Storage request lines", len(logs))
	}
	// Nor any part of it: its claims and its signature (the header is the
	// same in every JWT).
	parts := strings.Split(s.ServiceKey, ".")
	for _, secret := range append([]string{s.ServiceKey}, parts[1:]...) {
		for _, line := range strings.Split(string(logs), "\n") {
			if strings.Contains(line, secret) {
				t.Fatalf("the service_role key found in the TRACE log: %.300s", line)
			}
		}
	}
}
