package kvnamespace_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/wranglercli"
)

// One store for a namespace Terraform made: keys written by wrangler 4.86
// (`kv key put`, `kv bulk put`) are read by the API and listed by wrangler
// page by page, a key the API writes wrangler reads, and wrangler's bulk
// delete removes them.
func TestAccKVNamespace_wranglerKeys(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cli := wranglercli.New(t, wranglercli.API{BaseURL: cf.URL, Token: acctest.Token, AccountID: cf.AccountID()})
	dir := t.TempDir()
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: config(cf, "cf-office-hours-api-development-CACHE"),
		Check: func(s *terraform.State) error {
			id := stateID(s)
			ns := "--namespace-id=" + id
			cli.Run(t, dir, "", "kv", "key", "put", "greeting", "hello from wrangler", ns, "--remote")
			var bulk []map[string]any
			for _, k := range []string{"slot:09", "slot:10", "slot:11"} {
				bulk = append(bulk, map[string]any{"key": k, "value": "free", "metadata": map[string]string{"mentor": "ada"}})
			}
			data, _ := json.Marshal(bulk)
			file := filepath.Join(dir, "slots.json")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cli.Run(t, dir, "", "kv", "bulk", "put", file, ns, "--remote")

			status, body, err := cf.Try("GET", cf.AccountPath("/storage/kv/namespaces/"+id+"/values/greeting"), nil)
			if err != nil || status != 200 || string(body) != "hello from wrangler" {
				t.Fatalf("the API reads wrangler's value as %d %q (%v)", status, body, err)
			}
			if status, _, err := cf.Try("PUT", cf.AccountPath("/storage/kv/namespaces/"+id+"/values/written-by-api"), "api value"); err != nil || status != 200 {
				t.Fatalf("writing through the API: %d %v", status, err)
			}
			if got := strings.TrimSpace(cli.Run(t, dir, "", "kv", "key", "get", "written-by-api", ns, "--remote", "--text")); !strings.Contains(got, "api value") {
				t.Fatalf("wrangler reads the API's value as %q", got)
			}
			var keys []struct {
				Name     string            `json:"name"`
				Metadata map[string]string `json:"metadata"`
			}
			if err := json.Unmarshal([]byte(cli.Run(t, dir, "", "kv", "key", "list", ns, "--remote", "--prefix=slot:")), &keys); err != nil ||
				len(keys) != 3 || keys[0].Name != "slot:09" || keys[2].Metadata["mentor"] != "ada" {
				t.Fatalf("wrangler lists %+v (%v)", keys, err)
			}
			keyList := filepath.Join(dir, "delete.json")
			if err := os.WriteFile(keyList, []byte(`["slot:09","slot:10"]`), 0o644); err != nil {
				t.Fatal(err)
			}
			cli.Run(t, dir, "", "kv", "bulk", "delete", keyList, ns, "--remote", "--force")
			if status, _, _ := cf.Try("GET", cf.AccountPath("/storage/kv/namespaces/"+id+"/values/slot:09"), nil); status != 404 {
				t.Fatalf("a key wrangler deleted answers %d", status)
			}
			return nil
		},
	}}})
}
