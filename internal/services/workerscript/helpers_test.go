package workerscript_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// uploadOutOfBand uploads code as the dashboard or another tool would.
func uploadOutOfBand(t *testing.T, cf *acctest.Cloudflare, name, code string) {
	t.Helper()
	uploadWithMigration(t, cf, name, code, nil)
}

// uploadWithMigration uploads code as another tool would, keeping the
// bindings, with a Durable Object migration when one is given.
func uploadWithMigration(t *testing.T, cf *acctest.Cloudflare, name, code string, migrations map[string]any) {
	t.Helper()
	metadata := map[string]any{"main_module": "worker.js", "compatibility_date": "2025-03-11", "compatibility_flags": []string{"nodejs_compat"},
		"keep_bindings": []string{"plain_text", "json", "kv_namespace", "durable_object_namespace"}}
	if migrations != nil {
		metadata["migrations"] = migrations
	}
	meta, err := json.Marshal(metadata)
	if err != nil {
		t.Fatal(err)
	}
	f := testutil.NewForm(t)
	f.Field("metadata", string(meta))
	f.File("worker.js", "worker.js", "application/octet-stream", []byte(code))
	contentType, body := f.Finish()
	req, err := http.NewRequestWithContext(t.Context(), "PUT", cf.URL+cf.AccountPath("/workers/scripts/"+name), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+acctest.Token)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body := testutil.ReadAll(t, resp.Body)
		t.Fatalf("out-of-band upload: HTTP %d: %s", resp.StatusCode, body)
	}
}
