package pages_test

import (
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

// A hostname serves what Pages serves there: the production deployment on
// the project's pages.dev name (only once its deploy stage is done; a
// rollback's target after a rollback), a deployment on its short id, the
// newest preview of a branch on the branch's alias, and nothing elsewhere.
func TestSitesServeByHostname(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	a := start(t, localapi.Config{Now: func() time.Time { return now }})
	a.ok("POST", a.projects, directUpload, nil)
	var p Project
	a.ok("GET", a.projects+"/cf-office-hours", "", &p)
	sub := p.Subdomain
	sites := a.server.PagesSites()
	served := func(host string) string {
		site, ok := sites.Lookup(host)
		if !ok {
			return ""
		}
		return site.Deployment
	}

	first := deploy(t, a, "main")
	if got := served(sub); got != "" {
		t.Errorf("a production deployment still deploying is served: %s", got)
	}
	now = now.Add(2 * time.Second)
	if got := served(sub); got != first.ID {
		t.Errorf("%s serves %q, want the production deployment %s", sub, got, first.ID)
	}
	now = now.Add(2 * time.Second)
	second := deploy(t, a, "main")
	preview := deploy(t, a, "feature/calendar")
	now = now.Add(2 * time.Second)
	for host, want := range map[string]string{
		sub:                             second.ID,
		first.ID[:8] + "." + sub:        first.ID,
		"feature-calendar." + sub:       preview.ID,
		"UNKNOWN-branch." + sub:         "",
		"cf-office-hours.example.org":   "",
		"development.officehours.local": "",
	} {
		if got := served(host); got != want {
			t.Errorf("%s serves %q, want %q", host, got, want)
		}
	}
	a.ok("POST", a.projects+"/cf-office-hours/deployments/"+first.ID+"/rollback", "", nil)
	if got := served(sub); got != first.ID {
		t.Errorf("after the rollback %s serves %q, want %s", sub, got, first.ID)
	}
	site, _ := sites.Lookup(sub)
	contentType, body, ok := sites.Asset(site.Manifest["/index.html"])
	if !ok || contentType != "text/html" || string(body) != "<h1>main</h1>" {
		t.Errorf("the served index.html: %v %q %q", ok, contentType, body)
	}
}
