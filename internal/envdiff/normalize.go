package envdiff

import "slices"

// NodeVersionVar is the build variable Cloudflare Pages reads the Node.js
// version from. The resource exposes it as its own attribute and keeps it
// out of the variable maps.
const NodeVersionVar = "NODE_VERSION"

// Source defaults: what Cloudflare fills in when a Git source leaves them
// out. The resource declares the same values as schema defaults, so the API
// reading them back is no change (TPC#2738, TPC#6069).
var (
	DefaultPreviewBranchIncludes = []string{"*"}
	DefaultPreviewBranchExcludes = []string{}
)

// Cloudflare's defaults for what a Pages project leaves unset.
const (
	DefaultPreviewDeployments           = "all"
	DefaultPRComments                   = true
	DefaultProductionDeploymentsEnabled = true
	DefaultBuildCaching                 = false
)

// APIVar is an environment variable as the API returns it.
type APIVar struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Split sorts the API's variables into plain values and secret names, and
// takes NODE_VERSION out of the plain ones (nodeVersion is "" when absent).
func Split(vars map[string]APIVar) (plain map[string]string, secrets []string, nodeVersion string) {
	plain = map[string]string{}
	for name, v := range vars {
		switch {
		case v.Type == "secret_text":
			secrets = append(secrets, name)
		case name == NodeVersionVar:
			nodeVersion = v.Value
		default:
			plain[name] = v.Value
		}
	}
	slices.Sort(secrets)
	return plain, secrets, nodeVersion
}

// NodeVersion picks the Node.js version to report from the two
// environments' NODE_VERSION. When they differ (one was changed outside
// Terraform), it reports the one that differs from prior, so the plan shows
// the drift and the next apply sets both again.
func NodeVersion(production, preview, prior string) string {
	if production != prior {
		return production
	}
	return preview
}

// NullIfEmpty maps the API's "" (unset) to null: the resource's optional
// string attributes refuse "", so the two mean the same.
func NullIfEmpty(api string) (value string, null bool) { return api, api == "" }

// ListOrNull maps an empty list to null when the prior value was null, and
// keeps it an empty list when the prior value was an empty list: Cloudflare
// answers [] for both.
func ListOrNull(api []string, priorNull bool) (list []string, null bool) {
	if len(api) == 0 && priorNull {
		return nil, true
	}
	if api == nil {
		api = []string{}
	}
	return api, false
}

// MapOrNull does for maps what ListOrNull does for lists: Cloudflare
// answers null or {} for "no variables" and the two must read the same.
func MapOrNull[V any](api map[string]V, priorNull bool) (m map[string]V, null bool) {
	if len(api) == 0 && priorNull {
		return nil, true
	}
	if api == nil {
		api = map[string]V{}
	}
	return api, false
}
