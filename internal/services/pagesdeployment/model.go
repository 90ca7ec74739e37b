package pagesdeployment

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesmanifest"
)

type deploymentModel struct {
	ID               types.String `tfsdk:"id"`
	ProjectName      types.String `tfsdk:"project_name"`
	Directory        types.String `tfsdk:"directory"`
	Branch           types.String `tfsdk:"branch"`
	CommitHash       types.String `tfsdk:"commit_hash"`
	CommitMessage    types.String `tfsdk:"commit_message"`
	RollbackTo       types.String `tfsdk:"rollback_to"`
	ContentSHA256    types.String `tfsdk:"content_sha256"`
	FileCount        types.Int64  `tfsdk:"file_count"`
	FilesAdded       types.Int64  `tfsdk:"files_added"`
	FilesChanged     types.Int64  `tfsdk:"files_changed"`
	FilesRemoved     types.Int64  `tfsdk:"files_removed"`
	Environment      types.String `tfsdk:"environment"`
	URL              types.String `tfsdk:"url"`
	AliasURL         types.String `tfsdk:"alias_url"`
	ServesProduction types.Bool   `tfsdk:"serves_production"`
}

// apiDeployment is what this resource reads of a deployment (cloudflare-go
// v7 pages.Deployment).
type apiDeployment struct {
	ID          string   `json:"id"`
	Environment string   `json:"environment"`
	URL         string   `json:"url"`
	Aliases     []string `json:"aliases"`
	CreatedOn   string   `json:"created_on"`
	LatestStage struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"latest_stage"`
	Trigger struct {
		Metadata struct {
			Branch        string `json:"branch"`
			CommitHash    string `json:"commit_hash"`
			CommitMessage string `json:"commit_message"`
		} `json:"metadata"`
	} `json:"deployment_trigger"`
}

// contentHash names what a deployment of site serves: every path and its
// asset hash, and the _headers and _redirects rules.
func contentHash(site *pagesmanifest.Site) string {
	h := sha256.New()
	m := site.Manifest()
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h.Write([]byte(p + "\x00" + m[p] + "\x00"))
	}
	h.Write([]byte("\x00_headers\x00"))
	h.Write(site.Headers)
	h.Write([]byte("\x00_redirects\x00"))
	h.Write(site.Redirects)
	return hex.EncodeToString(h.Sum(nil))
}

func (m *deploymentModel) fromAPI(d apiDeployment) {
	m.ID = types.StringValue(d.ID)
	m.Environment = types.StringValue(d.Environment)
	m.URL = types.StringValue(d.URL)
	m.AliasURL = types.StringNull()
	if d.Environment == "preview" && len(d.Aliases) > 0 {
		m.AliasURL = types.StringValue(d.Aliases[0])
	}
}
