package workers

import (
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

var (
	errVersionNotFound    = core.Errorf(http.StatusNotFound, 10071, "Version not found")
	errDeploymentNotFound = core.Errorf(http.StatusNotFound, 10336, "Deployment not found")
)

// source names who made a change, one of the values of cloudflare-go v7
// ScriptVersionListResponseMetadataSource: wrangler announces itself in
// the User-Agent; a Terraform provider ("terraform-provider-<name>/<v>")
// counts as "terraform" (assumed: Cloudflare does not document how it
// tells them apart, and the official provider sends such a User-Agent);
// the dashboard ("dash") is out of reach here; everything else is "api".
func source(r *http.Request) string {
	ua := strings.ToLower(r.UserAgent())
	switch {
	case strings.HasPrefix(ua, "wrangler"):
		return "wrangler"
	case strings.HasPrefix(ua, "terraform-provider-"):
		return "terraform"
	}
	return "api"
}

// addVersion records a new version of s. Call inside Store.Write.
func (a *area) addVersion(s *Script, c Content, src string, annotations map[string]string) *Version {
	n := 1
	if len(s.Versions) > 0 {
		n = s.Versions[len(s.Versions)-1].Number + 1
	}
	s.Versions = append(s.Versions, Version{
		ID: newUUID(), Number: n, CreatedOn: a.now(), Source: src, Annotations: annotations, Content: c,
	})
	return &s.Versions[len(s.Versions)-1]
}

// deploy sends all traffic to v, as every upload and secret change does.
func (a *area) deploy(s *Script, traffic []Traffic, src string, annotations map[string]string) *Deployment {
	now := a.now()
	s.Deployments = append(s.Deployments, Deployment{
		ID: newUUID(), Source: src, Strategy: "percentage", CreatedOn: now,
		Annotations: annotations, Versions: traffic,
	})
	s.ModifiedOn = now
	s.LastDeployedFrom = src
	return &s.Deployments[len(s.Deployments)-1]
}

func versionJSON(s *Script, v *Version) map[string]any {
	annotations := map[string]string{}
	for k, val := range v.Annotations {
		annotations[k] = val
	}
	if _, ok := annotations["workers/triggered_by"]; !ok {
		annotations["workers/triggered_by"] = "upload"
	}
	return map[string]any{
		"id": v.ID, "number": v.Number, "annotations": annotations,
		"metadata": map[string]any{
			"created_on": v.CreatedOn, "modified_on": v.CreatedOn, "source": v.Source,
			"author_email": "local@officehours.invalid", "author_id": "local", "has_preview": false,
		},
		"resources": map[string]any{
			"bindings": publicBindings(s, v.Content.Bindings),
			"script": map[string]any{
				"etag": v.Content.Etag(), "handlers": []string{"fetch"},
				"main_module": v.Content.MainModule, "last_deployed_from": s.LastDeployedFrom,
			},
			"script_runtime": map[string]any{
				"compatibility_date":  v.Content.CompatibilityDate,
				"compatibility_flags": nonNil(v.Content.CompatibilityFlags),
				"usage_model":         "standard",
			},
		},
		"startup_time_ms": 1,
	}
}

func deploymentJSON(d Deployment) map[string]any {
	return map[string]any{
		"id": d.ID, "source": d.Source, "strategy": d.Strategy, "created_on": d.CreatedOn,
		"author_email": "local@officehours.invalid", "annotations": d.Annotations, "versions": d.Versions,
	}
}

// changedSecrets lists the secrets whose value differs between two versions.
func changedSecrets(from, to *Version) []string {
	values := func(v *Version) map[string]string {
		m := map[string]string{}
		for _, b := range v.Content.Bindings {
			if b.Type == "secret_text" {
				m[b.Name] = b.Text
			}
		}
		return m
	}
	a, b := values(from), values(to)
	var changed []string
	for name, val := range a {
		if other, ok := b[name]; !ok || other != val {
			changed = append(changed, name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

func (a *area) registerVersions() {
	const base = "/accounts/{account_id}/workers/scripts/{script_name}"

	// Newest first, in pages (cloudflare-go v7 scriptversion.go: a
	// V4PagePagination of {items}); deployable=true "ignores pagination"
	// and is what wrangler asks for (deploy-helpers versions-api.ts).
	a.env.Handle("GET "+base+"/versions", func(r *http.Request) (any, *core.Error) {
		var items []map[string]any
		var apiErr *core.Error
		a.env.Store.Read(func() {
			s, err := a.script(r)
			if err != nil {
				apiErr = err
				return
			}
			for i := len(s.Versions) - 1; i >= 0; i-- {
				items = append(items, versionJSON(s, &s.Versions[i]))
			}
		})
		if apiErr != nil {
			return nil, apiErr
		}
		if r.URL.Query().Get("deployable") == "true" {
			return map[string]any{"items": nonNil(items)}, nil
		}
		// No source gives the default or maximum page size; 10 and 100 assumed.
		page, apiErr := core.Paginate(r, nonNil(items), core.PageSize{Default: 10, Min: 1, Max: 100})
		if apiErr != nil {
			return nil, apiErr
		}
		return &core.Page{Items: map[string]any{"items": page.Items}, Info: page.Info}, nil
	})

	a.env.Handle("GET "+base+"/versions/{version_id}", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		v := s.Version(r.PathValue("version_id"))
		if v == nil {
			return nil, errVersionNotFound
		}
		return versionJSON(s, v), nil
	}))

	a.env.Handle("GET "+base+"/deployments", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		var list []map[string]any
		for i := len(s.Deployments) - 1; i >= 0; i-- {
			list = append(list, deploymentJSON(s.Deployments[i]))
		}
		return map[string]any{"deployments": nonNil(list)}, nil
	}))

	a.env.Handle("GET "+base+"/deployments/{deployment_id}", a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		i := slices.IndexFunc(s.Deployments, func(d Deployment) bool { return d.ID == r.PathValue("deployment_id") })
		if i < 0 {
			return nil, errDeploymentNotFound
		}
		return deploymentJSON(s.Deployments[i]), nil
	}))

	a.env.Handle("DELETE "+base+"/deployments/{deployment_id}", func(r *http.Request) (any, *core.Error) {
		return nil, a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(s.Deployments, func(d Deployment) bool { return d.ID == r.PathValue("deployment_id") })
			if i < 0 {
				return errDeploymentNotFound
			}
			if i == len(s.Deployments)-1 {
				return core.Errorf(http.StatusBadRequest, 10339, "Cannot delete the active deployment")
			}
			s.Deployments = slices.Delete(s.Deployments, i, i+1)
			return nil
		})
	})

	a.env.Handle("POST "+base+"/deployments", func(r *http.Request) (any, *core.Error) {
		var body struct {
			Strategy    string            `json:"strategy"`
			Versions    []Traffic         `json:"versions"`
			Annotations map[string]string `json:"annotations"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		if body.Strategy != "percentage" {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "strategy must be \"percentage\"")
		}
		// At most two versions: the server-side limit wrangler's hidden
		// --max-versions (default 2) names; percentages of 0 to 100 that
		// total 100 within wrangler's EPSILON of 0.001 (versions/deploy.ts).
		// The code is assumed: none is documented for this refusal.
		total := 0.0
		seen := map[string]bool{}
		for _, t := range body.Versions {
			if t.Percentage < 0 || t.Percentage > 100 || seen[t.VersionID] {
				return nil, core.Errorf(http.StatusBadRequest, 10021, "each version of a deployment appears once, with a percentage from 0 to 100")
			}
			seen[t.VersionID] = true
			total += t.Percentage
		}
		if len(body.Versions) == 0 || len(body.Versions) > 2 || math.Abs(total-100) > 0.001 {
			return nil, core.Errorf(http.StatusBadRequest, 10021, "a deployment needs one or two versions whose percentages add up to 100")
		}
		force := r.URL.Query().Get("force") == "true"
		var out map[string]any
		err := a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			for _, t := range body.Versions {
				if s.Version(t.VersionID) == nil {
					return errVersionNotFound
				}
			}
			// Every version named, not only the first: a version keeps the
			// secret values it was made with, and one at 90 % serves them as
			// surely as one at 100 % (wrangler rollback and versions deploy
			// send force only after asking). Checking each is the strictest
			// reading of the refusal.
			current := s.Current()
			for _, t := range body.Versions {
				target := s.Version(t.VersionID)
				if changed := changedSecrets(current, target); len(changed) > 0 && !force && current.ID != target.ID {
					return core.Errorf(http.StatusBadRequest, 10220,
						"Cannot deploy version %s without force: secrets have changed since it was created. The following secrets have changed: %s",
						target.ID, strings.Join(changed, ", "))
				}
			}
			d := a.deploy(s, body.Versions, source(r), body.Annotations)
			out = deploymentJSON(*d)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
