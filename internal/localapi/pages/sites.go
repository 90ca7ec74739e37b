package pages

import (
	"bytes"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/dns"
)

// Site is what a hostname serves: one direct-upload deployment's files.
type Site struct {
	Project, Deployment string
	Manifest            map[string]string
	Headers, Redirects  string
}

// Sites finds the deployment a hostname serves, as Pages does:
//   - <project>.pages.dev and each custom domain whose CNAME points at it
//     serve the production deployment (one rolled back to, else the newest
//     finished one);
//   - <short id>.<project>.pages.dev serves that deployment;
//   - <branch alias>.<project>.pages.dev the newest preview of the branch.
type Sites struct{ a *area }

// NewSites reads the Pages state registered in env.
func NewSites(env *core.Env) *Sites {
	return &Sites{&area{env: env, state: env.Store.Section(section).(*State), dns: dns.StateOf(env.Store)}}
}

// Lookup finds what host serves.
func (s *Sites) Lookup(host string) (site Site, ok bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	s.a.env.Store.Read(func() {
		for _, p := range s.a.state.Projects {
			if d := s.a.deploymentFor(p, host); d != nil && d.Manifest != nil {
				site, ok = Site{Project: p.Name, Deployment: d.ID, Manifest: d.Manifest, Headers: d.Headers, Redirects: d.Redirects}, true
				return
			}
		}
	})
	return site, ok
}

func (a *area) deploymentFor(p *project, host string) *Deployment {
	if host == p.Subdomain {
		return a.canonicalDeployment(p)
	}
	for _, d := range p.Domains {
		if d.Name == host && a.resolves(p, d) {
			return a.canonicalDeployment(p)
		}
	}
	label, ok := strings.CutSuffix(host, "."+p.Subdomain)
	if !ok {
		return nil
	}
	for i := range p.Deployments { // newest first
		d := &p.Deployments[i]
		if !a.deployed(*d) {
			continue
		}
		if strings.HasPrefix(d.ID, label) && len(label) == 8 || d.Environment == "preview" && branchAlias(d.Branch) == label {
			return d
		}
	}
	return nil
}

// Asset is an uploaded file by hash.
func (s *Sites) Asset(hash string) (contentType string, body []byte, ok bool) {
	s.a.env.Store.Read(func() {
		var a Asset
		if a, ok = s.a.state.Assets[hash]; ok {
			contentType, body = a.ContentType, bytes.Clone(a.Content)
		}
	})
	return contentType, body, ok
}
