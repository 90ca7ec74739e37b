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

func (m *deploymentModel) body() map[string]any {
	body := map[string]any{"strategy": "percentage", "versions": m.traffic()}
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
