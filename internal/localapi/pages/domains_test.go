package pages_test

import (
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

type domain struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	Status         string         `json:"status"`
	ZoneTag        string         `json:"zone_tag"`
	ValidationData map[string]any `json:"validation_data"`
}

// Cloudflare creates no DNS record for a Pages domain (the official
// provider's docs/resources/pages_domain.md): the domain stays pending until
// a CNAME of its name points at the project, and falls back when it goes.
func TestDomainInServedZoneIsActiveOnlyWhileItsCNAMEExists(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
	domains := a.projects + "/cf-office-hours/domains"
	zone := a.server.ZoneID("officehours.youcanjustdothings.io")
	records := a.base + "/zones/" + zone + "/dns_records"

	var d domain
	a.ok("POST", domains, `{"name":"staging.officehours.youcanjustdothings.io"}`, &d)
	if d.Status != "initializing" || d.ZoneTag != zone {
		t.Fatalf("new domain: %+v", d)
	}
	one := domains + "/staging.officehours.youcanjustdothings.io"
	read := func(want string) {
		t.Helper()
		a.ok("GET", one, "", &d)
		if d.Status != want || d.ValidationData["status"] != want {
			t.Fatalf("status %q, validation %v; want %s", d.Status, d.ValidationData, want)
		}
	}
	for range 5 {
		read("pending") // no record: it never activates
	}
	// A CNAME elsewhere does not count.
	var wrong struct{ ID string }
	a.ok("POST", records, `{"type":"CNAME","name":"staging","content":"other.pages.dev","ttl":1,"proxied":true}`, &wrong)
	read("pending")
	read("pending")
	a.ok("DELETE", records+"/"+wrong.ID, "", nil)
	var rec struct{ ID string }
	a.ok("POST", records, `{"type":"CNAME","name":"staging.officehours.youcanjustdothings.io","content":"cf-office-hours.pages.dev","ttl":1,"proxied":true}`, &rec)
	read("pending")
	read("active")
	read("active")
	a.ok("DELETE", records+"/"+rec.ID, "", nil)
	read("pending")
	a.ok("POST", records, `{"type":"CNAME","name":"staging.officehours.youcanjustdothings.io","content":"cf-office-hours.pages.dev","ttl":1,"proxied":true}`, nil)
	read("pending")
	read("active")
	var list []domain
	a.ok("GET", domains, "", &list)
	if len(list) != 1 || list[0].Status != "active" {
		t.Fatalf("list: %+v", list)
	}
	var p Project
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if len(p.Domains) != 2 || p.Domains[1] != "staging.officehours.youcanjustdothings.io" {
		t.Errorf("project domains %v", p.Domains)
	}

	a.fails("POST", domains, `{"name":"staging.officehours.youcanjustdothings.io"}`, 409, 8000018)
	a.fails("POST", domains, `{"name":"not a host"}`, 400, 8000000)
	a.fails("POST", domains, `{"name":"other.pages.dev"}`, 400, 8000000)
	a.ok("DELETE", one, "", nil)
	a.fails("GET", one, "", 404, 8000015)
	a.fails("DELETE", one, "", 404, 8000015)
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	if len(p.Domains) != 1 {
		t.Errorf("domains after delete: %v", p.Domains)
	}
}

func TestDomainOutsideServedZonesStaysPendingWithTXTRecord(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
	domains := a.projects + "/cf-office-hours/domains"
	var d domain
	a.ok("POST", domains, `{"name":"www.example.org"}`, &d)
	for range 5 {
		a.ok("PATCH", domains+"/www.example.org", "", &d) // retry validation
	}
	if d.Status != "pending" || d.ZoneTag != "" {
		t.Fatalf("external domain: %+v", d)
	}
	if d.ValidationData["method"] != "txt" || d.ValidationData["txt_name"] != "_cf-custom-hostname.www.example.org" ||
		!strings.Contains(d.ValidationData["txt_value"].(string), "-") {
		t.Errorf("validation data %v does not say which TXT record to add", d.ValidationData)
	}

	// The owner "adds the record": the setting activates external domains.
	admin := strings.TrimSuffix(a.base, "/client/v4") + "/__local/pages/settings"
	a.ok("PUT", admin, `{"domain_reads_to_active":0,"external_domains_activate":true}`, nil)
	a.ok("GET", domains+"/www.example.org", "", &d)
	if d.Status != "active" {
		t.Errorf("after activation: %+v", d)
	}
	// A domain is the account's once: another project cannot take it.
	a.ok("POST", a.projects, `{"name":"other","production_branch":"main"}`, nil)
	a.fails("POST", a.projects+"/other/domains", `{"name":"www.example.org"}`, 409, 8000018)
	// A project with domains is not deleted (8000028, cloudflare-docs#2271);
	// removing the domain, then the project, frees the name.
	a.fails("DELETE", a.projects+"/cf-office-hours", "", 400, 8000028)
	a.ok("DELETE", domains+"/www.example.org", "", nil)
	a.ok("DELETE", a.projects+"/cf-office-hours", "", nil)
	a.ok("POST", a.projects+"/other/domains", `{"name":"www.example.org"}`, nil)
}
