package pagesdomain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

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

func domainsPath(cf *clients.Cloudflare, project string, name ...string) string {
	return cf.Account(append([]string{"pages", "projects", project, "domains"}, name...)...)
}

func getDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) (*domainInfo, error) {
	d, err := clients.Get[domainInfo](ctx, cf, domainsPath(cf, project, name), nil)
	return &d, err
}

// readDomain is a refresh: from the project's domains, listed once for
// every domain of the project the operation reads, or directly for one the
// list lacks.
func readDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) (*domainInfo, error) {
	list, err := clients.SharedList[domainInfo](ctx, cf, domainsPath(cf, project), nil, 0)
	d, err := clients.FromList(ctx, cf, list.Items, err, func(d domainInfo) bool { return strings.EqualFold(d.Name, name) }, domainsPath(cf, project, name))
	return &d, err
}

// codeDomainInUse: the domain is already on a project (TPC#1946).
const codeDomainInUse = 8000018

// addDomain adds the domain; after a lost answer the domain on this project
// is ours, and "already in use" is resolved the same way.
func addDomain(ctx context.Context, cf *clients.Cloudflare, project, name string) (*domainInfo, error) {
	return clients.Create(ctx,
		func(ctx context.Context) (*domainInfo, error) {
			var d domainInfo
			err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: domainsPath(cf, project), JSON: map[string]string{"name": name}}, &d)
			return &d, err
		},
		func(ctx context.Context) (*domainInfo, bool, error) {
			d, err := getDomain(ctx, cf, project, name)
			if clients.IsGone(err) {
				return nil, false, nil
			}
			return d, err == nil, err
		},
		isInUse,
	)
}

func isInUse(err error) bool {
	return clients.HasCode(err, codeDomainInUse) || clients.StatusOf(err) == http.StatusConflict
}

// describe says where a domain stands, for errors: its status and what
// Cloudflare is waiting for. Cloudflare creates no DNS record for a Pages
// domain (the official provider's docs/resources/pages_domain.md): it stays
// pending until the name resolves to the project, so describe reads the
// zone's records of the name and says which record to create or correct.
func (d *domainInfo) describe(ctx context.Context, cf *clients.Cloudflare, project string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %q (validation %q by %s", d.Status, d.ValidationData.Status, orNone(d.ValidationData.Method))
	if d.ValidationData.ErrorMessage != "" {
		fmt.Fprintf(&b, ": %s", d.ValidationData.ErrorMessage)
	}
	b.WriteString(")")
	if d.ValidationData.TXTName != "" {
		fmt.Fprintf(&b, ". Cloudflare is waiting for a TXT record %s with the value %s", d.ValidationData.TXTName, d.ValidationData.TXTValue)
	}
	target := project + ".pages.dev"
	if p, err := clients.Get[struct {
		Subdomain string `json:"subdomain"`
	}](ctx, cf, cf.Account("pages", "projects", project), nil); err == nil && p.Subdomain != "" {
		target = p.Subdomain
	}
	if d.ZoneTag == "" {
		fmt.Fprintf(&b, ". The domain is not in a zone of this Cloudflare account: point it at the project with a CNAME record to %s at its DNS provider", target)
	} else {
		b.WriteString(". " + dnsAdvice(ctx, cf, d.ZoneTag, d.Name, target))
	}
	if d.VerificationData.ErrorMessage != "" {
		fmt.Fprintf(&b, ". Verification: %s", d.VerificationData.ErrorMessage)
	}
	return b.String()
}

// dnsAdvice says which record makes name resolve to target, from the
// records the zone has for name.
func dnsAdvice(ctx context.Context, cf *clients.Cloudflare, zone, name, target string) string {
	create := fmt.Sprintf("Create the DNS record Cloudflare does not create for Pages domains: a proxied CNAME %s -> %s "+
		"in zone %s (officehours_dns_record with type = \"CNAME\", name = %q, content = %q, proxied = true; modules/web creates it for its domains)",
		name, target, zone, name, target)
	records, err := clients.List[struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	}](ctx, cf, clients.Zone(zone, "dns_records"), url.Values{"name.exact": {name}}, 0)
	switch {
	case err != nil:
		return create + fmt.Sprintf(" (the zone's records could not be read to check: %s)", err)
	case len(records) == 0:
		return "The zone has no DNS record for " + name + ". " + create
	}
	for _, r := range records {
		if r.Type == "CNAME" && strings.EqualFold(strings.TrimSuffix(r.Content, "."), target) {
			return fmt.Sprintf("The CNAME %s -> %s exists; Cloudflare has not validated the domain yet, so raise timeouts.create or apply again later", name, target)
		}
	}
	return fmt.Sprintf("The zone's record for %s is a %s to %s, not a CNAME to %s: change it to a CNAME %s -> %s (proxied)",
		name, records[0].Type, records[0].Content, target, name, target)
}

func orNone(s string) string {
	if s == "" {
		return "an unknown method"
	}
	return s
}

// waitActive polls the domain until Cloudflare reports it active
// (clients.Poll). It returns the last answer read, and an error when the
// time runs out or the domain failed.
func waitActive(ctx context.Context, cf *clients.Cloudflare, project string, d *domainInfo, timeout time.Duration) (*domainInfo, error) {
	first := true
	err := clients.Poll(ctx, timeout, func(ctx context.Context) (bool, error) {
		if !first {
			next, err := getDomain(ctx, cf, project, d.Name)
			if err != nil {
				return false, fmt.Errorf("reading the domain while waiting for it to become active: %w", err)
			}
			d = next
		}
		first = false
		switch d.Status {
		case "active":
			return true, nil
		case "blocked", "error", "deactivated":
			return false, fmt.Errorf("Cloudflare reports the domain as %s: %s", d.Status, d.describe(ctx, cf, project))
		}
		return false, nil
	})
	switch {
	case errors.Is(err, clients.ErrPollTimeout):
		return d, fmt.Errorf("the domain did not become active within %s: %s", timeout, d.describe(ctx, cf, project))
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return d, fmt.Errorf("stopped waiting for the domain to become active (%w): %s", err, d.describe(context.WithoutCancel(ctx), cf, project))
	}
	return d, err
}
