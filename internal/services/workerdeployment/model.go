package workerdeployment

import (
	"math"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

type deploymentModel struct {
	ID         types.String   `tfsdk:"id"`
	ScriptName types.String   `tfsdk:"script_name"`
	Versions   []trafficModel `tfsdk:"versions"`
	Message    types.String   `tfsdk:"message"`
	Force      types.Bool     `tfsdk:"force"`
	CreatedOn  types.String   `tfsdk:"created_on"`
	Source     types.String   `tfsdk:"source"`
}

type trafficModel struct {
	VersionID  types.String  `tfsdk:"version_id"`
	Percentage types.Float64 `tfsdk:"percentage"`
}

// apiDeployment is a deployment as Cloudflare answers it (cloudflare-go v7
// workers.Deployment).
type apiDeployment struct {
	ID          string            `json:"id"`
	CreatedOn   string            `json:"created_on"`
	Source      string            `json:"source"`
	Strategy    string            `json:"strategy"`
	Versions    []apiTraffic      `json:"versions"`
	Annotations map[string]string `json:"annotations"`
	AuthorEmail string            `json:"author_email"`
}

type apiTraffic struct {
	VersionID  string  `json:"version_id"`
	Percentage float64 `json:"percentage"`
}

// messageKey is the annotation of a deployment's message.
const messageKey = "workers/message"

func (m *deploymentModel) traffic() []apiTraffic {
	out := make([]apiTraffic, len(m.Versions))
	for i, v := range m.Versions {
		out[i] = apiTraffic{VersionID: v.VersionID.ValueString(), Percentage: v.Percentage.ValueFloat64()}
	}
	return out
}

func (m *deploymentModel) body(versions []apiTraffic) map[string]any {
	body := map[string]any{"strategy": "percentage", "versions": versions}
	if msg := m.Message.ValueString(); msg != "" {
		body["annotations"] = map[string]string{messageKey: msg}
	}
	return body
}

// fromAPI records the deployment d of script.
func (m *deploymentModel) fromAPI(script string, d apiDeployment) {
	m.ID = types.StringValue(d.ID)
	m.ScriptName = types.StringValue(script)
	m.CreatedOn = types.StringValue(d.CreatedOn)
	m.Source = types.StringValue(d.Source)
	m.Versions = make([]trafficModel, len(d.Versions))
	for i, t := range d.Versions {
		m.Versions[i] = trafficModel{VersionID: types.StringValue(t.VersionID), Percentage: types.Float64Value(t.Percentage)}
	}
	m.Message = types.StringNull()
	if msg := d.Annotations[messageKey]; msg != "" {
		m.Message = types.StringValue(msg)
	}
}

// sameTraffic reports whether d sends what m configures, in any order.
func sameTraffic(want []apiTraffic, d apiDeployment) bool {
	if len(want) != len(d.Versions) {
		return false
	}
	for _, w := range want {
		found := false
		for _, t := range d.Versions {
			if t.VersionID == w.VersionID && math.Abs(t.Percentage-w.Percentage) < 0.001 {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// apiVersion is a version as Cloudflare lists it (cloudflare-go v7
// ScriptVersionListResponse): its number, annotations (a secret change
// marks its version workers/triggered_by "secret") and its code's etag.
type apiVersion struct {
	ID          string            `json:"id"`
	Number      int64             `json:"number"`
	Annotations map[string]string `json:"annotations"`
	Metadata    struct {
		CreatedOn   string `json:"created_on"`
		Source      string `json:"source"`
		AuthorEmail string `json:"author_email"`
	} `json:"metadata"`
	Resources struct {
		Script struct {
			Etag string `json:"etag"`
		} `json:"script"`
	} `json:"resources"`
}

// withTodaysSecrets replaces each version in want by the newest version a
// secret change made of the same code after it, from versions (newest
// first). A secret change deploys a new version of the serving code with
// the new secret; deploying the version from before it would serve the old
// secret, which Cloudflare refuses (10220) and no release means.
func withTodaysSecrets(want []apiTraffic, versions []apiVersion) []apiTraffic {
	out := make([]apiTraffic, len(want))
	copy(out, want)
	for i, w := range out {
		var base *apiVersion
		for j := range versions {
			if versions[j].ID == w.VersionID {
				base = &versions[j]
			}
		}
		if base == nil {
			continue
		}
		for _, v := range versions { // newest first
			if v.Number > base.Number && v.Annotations["workers/triggered_by"] == "secret" && v.Resources.Script.Etag == base.Resources.Script.Etag {
				out[i].VersionID = v.ID
				break
			}
		}
	}
	return out
}
