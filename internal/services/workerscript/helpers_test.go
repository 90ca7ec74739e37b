package workerscript_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// uploadOutOfBand uploads code as the dashboard or another tool would.
func uploadOutOfBand(t *testing.T, cf *acctest.Cloudflare, name, code string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	meta, _ := json.Marshal(map[string]any{"main_module": "worker.js", "compatibility_date": "2025-03-11", "compatibility_flags": []string{"nodejs_compat"},
		"keep_bindings": []string{"plain_text", "json", "kv_namespace", "durable_object_namespace"}})
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
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("out-of-band upload: HTTP %d", resp.StatusCode)
	}
}
