package pages

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Settings tune the parts of Cloudflare's behaviour that depend on the
// outside world. They are part of the persisted state and can be changed at
// run time with PUT /__local/pages/settings (same token as the API).
type Settings struct {
	// DomainReadsToActive is how many reads (GET or PATCH of the domain, or
	// of the domain list) a custom domain answers "pending" once its name
	// resolves to the project, before it answers "active" (Cloudflare then
	// validates and issues the certificate). Cloudflare creates no DNS
	// record for a Pages domain (the official provider's
	// docs/resources/pages_domain.md: "A DNS record for the domain is not
	// automatically created"), so a domain in a served zone resolves only
	// while the zone has a CNAME of its name to the project's subdomain, and
	// falls back to "pending" when the record goes.
	DomainReadsToActive int `json:"domain_reads_to_active"`
	// ExternalDomainsActivate makes domains outside the served zones behave
	// like the ones inside (as if their owner had added the DNS records).
	// By default they stay pending with the TXT record to add.
	ExternalDomainsActivate bool `json:"external_domains_activate"`
	// TakenSubdomains are *.pages.dev names "taken" elsewhere on Cloudflare,
	// so that a new project with that name gets a suffixed subdomain.
	TakenSubdomains []string `json:"taken_subdomains"`
}

func defaultSettings() Settings { return Settings{DomainReadsToActive: 2} }

// Domain is a stored custom domain.
type Domain struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	ZoneTag   string    `json:"zone_tag"`
	TXTValue  string    `json:"txt_value"`
	CreatedOn time.Time `json:"created_on"`
	Polled    int       `json:"polled"` // reads so far
	Reads     int       `json:"reads"`  // reads in a row while the name resolves to the project
}

// observe counts a read of d. Call it inside Store.Write.
func (a *area) observe(p *project, d *Domain) {
	d.Polled++
	if a.resolves(p, *d) {
		d.Reads++
	} else {
		d.Reads = 0
	}
}

// resolves reports whether d's name points at the project: a CNAME to its
// subdomain in a served zone (an apex works too: CNAME flattening), or, for
// a domain elsewhere, the ExternalDomainsActivate setting.
func (a *area) resolves(p *project, d Domain) bool {
	if d.ZoneTag == "" {
		return a.state.Settings.ExternalDomainsActivate
	}
	target, ok := a.dns.CNAME(d.ZoneTag, d.Name)
	return ok && strings.EqualFold(strings.TrimSuffix(target, "."), p.Subdomain)
}

var hostname = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

func (a *area) routeSettings() {
	a.env.Mux.HandleFunc("GET /__local/pages/settings", func(w http.ResponseWriter, r *http.Request) {
		var s Settings
		a.env.Store.Read(func() { s = a.state.Settings })
		core.WriteResult(w, http.StatusOK, s, nil)
	})
	a.env.Mux.HandleFunc("PUT /__local/pages/settings", func(w http.ResponseWriter, r *http.Request) {
		var s Settings
		if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
			core.WriteError(w, core.ErrMalformedJSON)
			return
		}
		if apiErr := a.env.Store.Write(func() *core.Error { a.state.Settings = s; return nil }); apiErr != nil {
			core.WriteError(w, apiErr)
			return
		}
		core.WriteResult(w, http.StatusOK, s, nil)
	})
}

func (a *area) routeDomains() {
	const domains = base + "/{project_name}/domains"

	a.env.Handle("GET "+domains, func(r *http.Request) (any, *core.Error) {
		var list []map[string]any
		apiErr := a.withProject(r, true, func(p *project) *core.Error {
			for i := range p.Domains {
				a.observe(p, &p.Domains[i])
				list = append(list, a.domainView(p, p.Domains[i]))
			}
			return nil
		})
		if apiErr != nil {
			return nil, apiErr
		}
		return core.Paginate(r, list, pageSize(25))
	})

	a.env.Handle("POST "+domains, func(r *http.Request) (any, *core.Error) {
		var body struct {
			Name string `json:"name"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		name := strings.ToLower(strings.TrimSuffix(body.Name, "."))
		if !hostname.MatchString(name) || strings.HasSuffix(name, ".pages.dev") {
			return nil, core.Errorf(http.StatusBadRequest, codeBadRequest, "%q is not a valid custom domain: use a full hostname such as www.example.com.", body.Name)
		}
		var out map[string]any
		apiErr := a.withProject(r, true, func(p *project) *core.Error {
			for _, other := range a.state.Projects {
				if slices.ContainsFunc(other.Domains, func(d Domain) bool { return d.Name == name }) {
					return core.Errorf(http.StatusConflict, codeDomainExists, "The custom domain %s is already in use by the Pages project %s.", name, other.Name)
				}
			}
			d := Domain{ID: newUUID(), Name: name, ZoneTag: a.zoneOf(name), TXTValue: newUUID(), CreatedOn: a.env.Now()}
			p.Domains = append(p.Domains, d)
			out = a.domainView(p, d)
			return nil
		})
		return out, apiErr
	})

	// GET answers the domain and counts the read; PATCH retries validation,
	// which Cloudflare answers with the current state as well.
	for _, method := range []string{"GET", "PATCH"} {
		a.env.Handle(method+" "+domains+"/{domain_name}", func(r *http.Request) (any, *core.Error) {
			var out map[string]any
			apiErr := a.withProject(r, true, func(p *project) *core.Error {
				i, err := findDomain(p, r.PathValue("domain_name"))
				if err != nil {
					return err
				}
				a.observe(p, &p.Domains[i])
				out = a.domainView(p, p.Domains[i])
				return nil
			})
			return out, apiErr
		})
	}

	a.env.Handle("DELETE "+domains+"/{domain_name}", func(r *http.Request) (any, *core.Error) {
		return nil, a.withProject(r, true, func(p *project) *core.Error {
			i, err := findDomain(p, r.PathValue("domain_name"))
			if err != nil {
				return err
			}
			p.Domains = slices.Delete(p.Domains, i, i+1)
			return nil
		})
	})
}

func findDomain(p *project, name string) (int, *core.Error) {
	i := slices.IndexFunc(p.Domains, func(d Domain) bool { return d.Name == strings.ToLower(name) })
	if i < 0 {
		return -1, core.Errorf(http.StatusNotFound, codeDomainNotFound, "Custom domain %s not found on project %s.", name, p.Name)
	}
	return i, nil
}

// zoneOf returns the id of the served zone that holds name, or "".
func (a *area) zoneOf(name string) string {
	best := core.Zone{}
	for _, z := range a.env.Zones {
		if (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && len(z.Name) > len(best.Name) {
			best = z
		}
	}
	return best.ID
}

// domainView is the domain as Cloudflare reports it: "initializing" until
// first read, then "pending" until its name has resolved to the project for
// Settings.DomainReadsToActive reads, then "active". Outside the served
// zones it also asks for a TXT record.
func (a *area) domainView(p *project, d Domain) map[string]any {
	settings := a.state.Settings
	status := "pending"
	switch {
	case d.Polled == 0:
		status = "initializing"
	case a.resolves(p, d) && d.Reads >= settings.DomainReadsToActive:
		status = "active"
	}
	validation := map[string]any{"status": status, "method": "http"}
	verification := map[string]any{"status": "pending"}
	if status == "active" {
		verification["status"] = "active"
	} else {
		verification["error_message"] = "CNAME record not set: point " + d.Name + " at " + p.Subdomain
	}
	if d.ZoneTag == "" {
		validation = map[string]any{
			"status": status, "method": "txt",
			"txt_name": "_cf-custom-hostname." + d.Name, "txt_value": d.TXTValue,
		}
	}
	return map[string]any{
		"id":                    d.ID,
		"domain_id":             d.ID,
		"name":                  d.Name,
		"status":                status,
		"validation_data":       validation,
		"verification_data":     verification,
		"zone_tag":              d.ZoneTag,
		"certificate_authority": "google",
		"created_on":            core.Timestamp(d.CreatedOn),
	}
}
