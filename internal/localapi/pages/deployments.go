package pages

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Deployment is a stored deployment. Builds do not run here: a deployment
// is recorded as finished the moment it is created, which is all wrangler's
// `pages deployment list` and `pages project list` need to show. A direct
// upload keeps its manifest (site path => asset hash) and the _headers and
// _redirects it came with.
type Deployment struct {
	Manifest  map[string]string `json:"manifest,omitempty"`
	Headers   string            `json:"headers,omitempty"`
	Redirects string            `json:"redirects,omitempty"`

	ID            string            `json:"id"`
	Environment   string            `json:"environment"` // production or preview
	Branch        string            `json:"branch"`
	CommitHash    string            `json:"commit_hash"`
	CommitMessage string            `json:"commit_message"`
	TriggerType   string            `json:"trigger_type"` // ad_hoc (direct upload) or github:push
	CreatedOn     time.Time         `json:"created_on"`
	EnvVars       map[string]EnvVar `json:"env_vars"` // as deployed, secrets masked
}

func (a *area) routeDeployments() {
	const deployments = base + "/{project_name}/deployments"

	a.env.Handle("GET "+deployments, func(r *http.Request) (any, *core.Error) {
		env := r.URL.Query().Get("env")
		var list []map[string]any
		apiErr := a.withProject(r, false, func(p *project) *core.Error {
			for _, d := range p.Deployments {
				if env == "" || env == d.Environment {
					list = append(list, a.deploymentView(p, d))
				}
			}
			return nil
		})
		if apiErr != nil {
			return nil, apiErr
		}
		return core.Paginate(r, list, pageSize(25))
	})

	// POST records a deployment. It takes the fields wrangler and the SDKs
	// send (branch, commit_hash, commit_message) as multipart or URL-encoded
	// form fields; the uploaded files are not kept.
	a.env.Handle("POST "+deployments, func(r *http.Request) (any, *core.Error) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			if err := r.ParseMultipartForm(32 << 20); err != nil {
				return nil, core.Errorf(http.StatusBadRequest, codeBadRequest, "Invalid multipart body: %v", err)
			}
		} else {
			_ = r.ParseForm()
		}
		var manifest map[string]string
		if m := r.FormValue("manifest"); m != "" {
			if err := json.Unmarshal([]byte(m), &manifest); err != nil {
				return nil, core.Errorf(http.StatusBadRequest, codeBadRequest, "Invalid manifest: %v", err)
			}
		}
		var out map[string]any
		apiErr := a.withProject(r, true, func(p *project) *core.Error {
			if apiErr := a.checkManifest(p, manifest); apiErr != nil {
				return apiErr
			}
			d := Deployment{
				ID: newUUID(), Branch: r.FormValue("branch"), CommitHash: r.FormValue("commit_hash"),
				CommitMessage: r.FormValue("commit_message"), TriggerType: "ad_hoc", CreatedOn: a.env.Now(),
				Manifest: manifest, Headers: formFile(r, "_headers"), Redirects: formFile(r, "_redirects"),
			}
			if d.Branch == "" {
				d.Branch = p.Spec.ProductionBranch
			}
			if d.CommitHash == "" {
				d.CommitHash = core.NewID() + core.NewID()[:8] // 40 hex digits, like a Git SHA-1
			}
			d.Environment = "preview"
			config := p.Spec.DeploymentConfigs.Preview
			if d.Branch == p.Spec.ProductionBranch {
				d.Environment = "production"
				config = p.Spec.DeploymentConfigs.Production
			}
			d.EnvVars = masked(config).EnvVars
			if d.Environment == "production" {
				p.Canonical = "" // the newest production deployment serves
			}
			p.Deployments = append([]Deployment{d}, p.Deployments...)
			out = a.deploymentView(p, d)
			return nil
		})
		return out, apiErr
	})

	a.env.Handle("GET "+deployments+"/{deployment_id}", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		apiErr := a.withProject(r, false, func(p *project) *core.Error {
			i, err := findDeployment(p, r.PathValue("deployment_id"))
			if err != nil {
				return err
			}
			out = a.deploymentView(p, p.Deployments[i])
			return nil
		})
		return out, apiErr
	})

	// A rollback makes an earlier production deployment the one that
	// serves (cloudflare-go v7 ProjectDeploymentService.Rollback; Cloudflare's
	// docs allow it for production deployments only).
	a.env.Handle("POST "+deployments+"/{deployment_id}/rollback", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		apiErr := a.withProject(r, true, func(p *project) *core.Error {
			i, err := findDeployment(p, r.PathValue("deployment_id"))
			if err != nil {
				return err
			}
			if p.Deployments[i].Environment != "production" {
				return core.Errorf(http.StatusBadRequest, codeBadRequest, "Only production deployments can be rolled back to.")
			}
			p.Canonical = p.Deployments[i].ID
			out = a.deploymentView(p, p.Deployments[i])
			return nil
		})
		return out, apiErr
	})

	a.env.Handle("DELETE "+deployments+"/{deployment_id}", func(r *http.Request) (any, *core.Error) {
		return nil, a.withProject(r, true, func(p *project) *core.Error {
			i, err := findDeployment(p, r.PathValue("deployment_id"))
			if err != nil {
				return err
			}
			// The deployment serving production cannot be deleted
			// (assumed: the dashboard offers no delete for it).
			if c := a.canonicalDeployment(p); c != nil && c.ID == p.Deployments[i].ID && r.URL.Query().Get("force") != "true" {
				return core.Errorf(http.StatusBadRequest, codeBadRequest, "Cannot delete the active production deployment %s without force.", c.ID)
			}
			p.Deployments = slices.Delete(p.Deployments, i, i+1)
			return nil
		})
	})
}

// checkManifest refuses a manifest naming files the account lacks, or more
// files than a deployment may have. A project without a Git source needs
// one: without it a deployment is a build from the repository.
func (a *area) checkManifest(p *project, manifest map[string]string) *core.Error {
	if manifest != nil && p.Spec.Source != nil {
		// Cloudflare's docs: a project made with Git integration is deployed
		// from its repository and cannot switch to direct upload; whether
		// the API refuses wrangler's uploads to it is not documented, so the
		// strictest answer is taken.
		return core.Errorf(http.StatusBadRequest, codeBadRequest, "Project %s is connected to a Git repository: its deployments are built from the repository, not uploaded.", p.Name)
	}
	if manifest == nil {
		if p.Spec.Source == nil {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "Project %s has no Git source: a deployment needs a manifest of uploaded files.", p.Name)
		}
		return nil
	}
	if len(manifest) == 0 || len(manifest) > maxFileCount {
		return core.Errorf(http.StatusBadRequest, codeBadRequest, "A deployment has 1 to %d files; this manifest has %d.", maxFileCount, len(manifest))
	}
	var missing []string
	for path, hash := range manifest {
		if _, ok := a.state.Assets[hash]; !ok {
			missing = append(missing, path)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return core.Errorf(http.StatusBadRequest, codeBadRequest, "The manifest names files that were not uploaded: %s.", strings.Join(missing, ", "))
	}
	return nil
}

// formFile is a multipart file field's content, "" when absent.
func formFile(r *http.Request, name string) string {
	f, _, err := r.FormFile(name)
	if err != nil {
		return r.FormValue(name)
	}
	defer f.Close()
	data, _ := io.ReadAll(f)
	return string(data)
}

// canonical is the production deployment that serves: one rolled back to,
// else the newest.
func (a *area) canonicalDeployment(p *project) *Deployment {
	for i := range p.Deployments {
		d := &p.Deployments[i]
		if d.ID == p.Canonical || (p.Canonical == "" && d.Environment == "production" && a.deployed(*d)) {
			return d
		}
	}
	return nil
}

// deployed reports whether a deployment has finished its deploy stage.
// Cloudflare answers the POST of a direct upload before that (wrangler's
// pages deploy polls the deployment until latest_stage is deploy/success
// or failure, src/pages/deploy.ts): here it finishes after the
// propagation delay, and serves production only then.
func (a *area) deployed(d Deployment) bool {
	return d.TriggerType != "ad_hoc" || a.env.Visible(d.CreatedOn)
}

func findDeployment(p *project, id string) (int, *core.Error) {
	i := slices.IndexFunc(p.Deployments, func(d Deployment) bool { return d.ID == id })
	if i < 0 {
		return -1, core.Errorf(http.StatusNotFound, codeDeploymentNotFound, "Deployment %s not found in project %s.", id, p.Name)
	}
	return i, nil
}

// deploymentView is the deployment as the API returns it, with the keys of
// cloudflare-go v7 pages.Deployment.
func (a *area) deploymentView(p *project, d Deployment) map[string]any {
	short := d.ID[:8]
	created := core.Timestamp(d.CreatedOn)
	stage := func(name string) map[string]any {
		return map[string]any{"name": name, "started_on": created, "ended_on": created, "status": "success"}
	}
	latest := stage("deploy")
	if !a.deployed(d) {
		latest = map[string]any{"name": "deploy", "started_on": created, "ended_on": nil, "status": "active"}
	}
	aliases := []string{}
	if d.Environment == "preview" {
		aliases = append(aliases, "https://"+branchAlias(d.Branch)+"."+p.Subdomain)
	}
	return map[string]any{
		"id":                 d.ID,
		"short_id":           short,
		"project_id":         p.ID,
		"project_name":       p.Name,
		"environment":        d.Environment,
		"url":                "https://" + short + "." + p.Subdomain,
		"aliases":            aliases,
		"created_on":         created,
		"modified_on":        created,
		"env_vars":           d.EnvVars,
		"is_skipped":         false,
		"latest_stage":       latest,
		"stages":             []any{stage("queued"), stage("initialize"), stage("clone_repo"), stage("build"), latest},
		"build_config":       p.Spec.BuildConfig,
		"deployment_trigger": map[string]any{"type": d.TriggerType, "metadata": map[string]any{"branch": d.Branch, "commit_hash": d.CommitHash, "commit_message": d.CommitMessage, "commit_dirty": false}},
		"uses_functions":     false,
	}
}

// branchAlias is the DNS label Cloudflare derives from a branch name for a
// preview alias (feature/x -> feature-x).
func branchAlias(branch string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(branch) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
