package workerscript_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
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
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	metadata := map[string]any{"main_module": "worker.js", "compatibility_date": "2025-03-11", "compatibility_flags": []string{"nodejs_compat"},
		"keep_bindings": []string{"plain_text", "json", "kv_namespace", "durable_object_namespace"}}
	if migrations != nil {
		metadata["migrations"] = migrations
	}
	meta, _ := json.Marshal(metadata)
	w.WriteField("metadata", string(meta))
	part, _ := w.CreateFormFile("worker.js", "worker.js")
	part.Write([]byte(code))
	w.Close()
	req, _ := http.NewRequest("PUT", cf.URL+cf.AccountPath("/workers/scripts/"+name), &buf)
	req.Header.Set("Authorization", "Bearer "+acctest.Token)
	req.Header.Set("Content-Type", w.FormDataContentType())
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
