package pagesdomain

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/pages"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// domainInfo is what the resource keeps of a domain. The SDK has one
// response type per method with the same fields; all are read through
// their raw JSON into this one.
type domainInfo struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	ZoneTag        string `json:"zone_tag"`
	ValidationData struct {
		Method       string `json:"method"`
		Status       string `json:"status"`
		TXTName      string `json:"txt_name"`
		TXTValue     string `json:"txt_value"`
		ErrorMessage string `json:"error_message"`
	} `json:"validation_data"`
	VerificationData struct {
		Status       string `json:"status"`
		ErrorMessage string `json:"error_message"`
	} `json:"verification_data"`
}

func decode(raw string) (*domainInfo, error) {
	var d domainInfo
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return nil, fmt.Errorf("reading the domain from the API's answer: %w", err)
	}
	return &d, nil
}

func getDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) (*domainInfo, error) {
	res, err := cf.API.Pages.Projects.Domains.Get(ctx, project, name, pages.ProjectDomainGetParams{AccountID: cloudflare.F(cf.AccountID)})
	if err != nil {
		return nil, err
	}
	return decode(res.JSON.RawJSON())
}

func addDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) (*domainInfo, error) {
	res, err := cf.API.Pages.Projects.Domains.New(ctx, project, pages.ProjectDomainNewParams{AccountID: cloudflare.F(cf.AccountID), Name: cloudflare.F(name)})
	if err != nil {
		return nil, err
	}
	return decode(res.JSON.RawJSON())
}

func deleteDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) error {
	_, err := cf.API.Pages.Projects.Domains.Delete(ctx, project, name, pages.ProjectDomainDeleteParams{AccountID: cloudflare.F(cf.AccountID)})
	return err
}

// describe says where a domain stands, for errors: its status and the
// record Cloudflare is waiting for.
func (d *domainInfo) describe(project string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %q (validation %q by %s", d.Status, d.ValidationData.Status, orNone(d.ValidationData.Method))
	if d.ValidationData.ErrorMessage != "" {
		fmt.Fprintf(&b, ": %s", d.ValidationData.ErrorMessage)
	}
	b.WriteString(")")
	if d.ValidationData.TXTName != "" {
		fmt.Fprintf(&b, ". Cloudflare is waiting for a TXT record %s with the value %s", d.ValidationData.TXTName, d.ValidationData.TXTValue)
	}
	if d.ZoneTag == "" {
		fmt.Fprintf(&b, ". The domain is not in a zone of this Cloudflare account: also point it at the project with a CNAME record to %s.pages.dev (or the project's subdomain)", project)
	}
	if d.VerificationData.ErrorMessage != "" {
		fmt.Fprintf(&b, ". Verification: %s", d.VerificationData.ErrorMessage)
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "an unknown method"
	}
	return s
}

// waitActive polls the domain until Cloudflare reports it active, backing
// off from half a second to ten seconds between reads. It returns the last
// answer read, and an error when the time runs out or the domain failed.
func waitActive(ctx context.Context, cf *clients.Cloudflare, project string, d *domainInfo, timeout time.Duration) (*domainInfo, error) {
	deadline := time.Now().Add(timeout)
	delay := 500 * time.Millisecond
	for d.Status != "active" {
		switch d.Status {
		case "blocked", "error", "deactivated":
			return d, fmt.Errorf("Cloudflare reports the domain as %s: %s", d.Status, d.describe(project))
		}
		if time.Now().Add(delay).After(deadline) {
			return d, fmt.Errorf("the domain did not become active within %s: %s", timeout, d.describe(project))
		}
		select {
		case <-ctx.Done():
			return d, fmt.Errorf("stopped waiting for the domain to become active (%w): %s", ctx.Err(), d.describe(project))
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
		next, err := getDomain(ctx, cf, project, d.Name)
		if err != nil {
			return d, fmt.Errorf("reading the domain while waiting for it to become active: %w", err)
		}
		d = next
	}
	return d, nil
}
