// Package acctest runs acceptance tests: the real terraform binary, the
// provider in-process, an in-process local Cloudflare API and a throwaway
// PostgreSQL (internal/pgtest).
package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/provider"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// ProviderFactories serve the provider in-process to terraform.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"officehours": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Token is the bearer token of every in-process local API (shaped as a
// Cloudflare API token: the local API refuses any other shape).
const Token = "acctest-token-0123456789abcdefghijklmnop"

// terraform-plugin-testing downloads Terraform when TF_ACC_TERRAFORM_PATH is
// unset; point it at the terraform on PATH so a test never downloads.
func init() {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		}
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
}

// Test runs an acceptance test case with the provider factories set.
func Test(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset: acceptance tests never download Terraform")
	}
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = ProviderFactories
	}
	resource.Test(t, tc)
}

// Cloudflare is an in-process local Cloudflare API for one test.
type Cloudflare struct {
	*localapi.Server
	URL string
}

// NewCloudflare starts a local API with in-memory state and Cloudflare's
// defaults (a new object takes localapi.DefaultPropagationDelay to become
// visible to other endpoints), closed when the test ends.
func NewCloudflare(t *testing.T) *Cloudflare {
	t.Helper()
	return NewCloudflareWith(t, localapi.Config{})
}

// NewCloudflareWith starts a local API with cfg (its token is Token). It is
// for acceptance tests only: without TF_ACC the test is skipped here,
// before anything is set up.
func NewCloudflareWith(t *testing.T, cfg localapi.Config) *Cloudflare {
	t.Helper()
	testutil.RequireServices(t)
	cfg.Token = Token
	s, err := localapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &Cloudflare{Server: s, URL: url}
}

// ProviderBlock is a provider configuration for this API and, when
// databaseURL is not empty, a database. Either may be nil/empty.
func ProviderBlock(cf *Cloudflare, databaseURL string) string {
	return Providers{Cloudflare: cf, DatabaseURL: databaseURL}.Block()
}

// Providers is what a provider block points at; any may be unset.
type Providers struct {
	Cloudflare  *Cloudflare
	DatabaseURL string
	Storage     *Storage
}

// Block is the provider block.
func (p Providers) Block() string {
	out := "provider \"officehours\" {\n"
	if p.Cloudflare != nil {
		out += fmt.Sprintf("  cloudflare = {\n    api_token = %q\n    account_id = %q\n    base_url = %q\n  }\n",
			Token, p.Cloudflare.AccountID(), p.Cloudflare.URL)
	}
	if p.DatabaseURL != "" {
		out += fmt.Sprintf("  database = {\n    url = %q\n  }\n", p.DatabaseURL)
	}
	if p.Storage != nil {
		out += fmt.Sprintf("  supabase = {\n    url = %q\n    service_role_key = %q\n  }\n", p.Storage.URL, p.Storage.ServiceKey)
	}
	return out + "}\n"
}

// Call makes an out-of-band API request (as the dashboard or wrangler would)
// and returns the envelope's result. path is relative to /client/v4. A
// failed call fails the test.
func (c *Cloudflare) Call(t *testing.T, method, path string, body any) json.RawMessage {
	t.Helper()
	status, result, err := c.Try(method, path, body)
	if err != nil {
		t.Fatal(err)
	}
	if status >= 300 {
		t.Fatalf("%s %s: HTTP %d: %s", method, path, status, result)
	}
	return result
}

// Decode is Call whose result is decoded into out; an answer that cannot be
// decoded fails the test (a check must not pass on an unreadable answer).
func (c *Cloudflare) Decode(t *testing.T, method, path string, body, out any) {
	t.Helper()
	result := c.Call(t, method, path, body)
	if err := json.Unmarshal(result, out); err != nil {
		t.Fatalf("%s %s: decoding %s: %v", method, path, result, err)
	}
}

// Try is Call without failing: it returns the HTTP status and, for a
// failure, the whole envelope.
func (c *Cloudflare) Try(method, path string, body any) (int, json.RawMessage, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.URL+path, reader)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	var env struct {
		Success bool            `json:"success"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &env); err != nil || !env.Success {
		return resp.StatusCode, data, nil
	}
	return resp.StatusCode, env.Result, nil
}

// AccountPath is "/accounts/<account id>" followed by rest.
func (c *Cloudflare) AccountPath(rest string) string { return "/accounts/" + c.AccountID() + rest }

// Later is a configuration variable whose value is read when its step
// runs: an id that an earlier step made (config.Variables are written out
// as each step starts).
type Later func() string

// MarshalJSON writes the value as it is now.
func (l Later) MarshalJSON() ([]byte, error) { return json.Marshal(l()) }
