package workers_test

import (
	"strings"
	"testing"
)

type deployment struct {
	ID        string `json:"id"`
	CreatedOn string `json:"created_on"`
	Versions  []struct {
		VersionID  string `json:"version_id"`
		Percentage int    `json:"percentage"`
	} `json:"versions"`
}

func (a *api) deployments(script string) []deployment {
	a.t.Helper()
	var out struct{ Deployments []deployment }
	a.ok("GET", a.acct+"/workers/scripts/"+script+"/deployments", nil, &out)
	return out.Deployments
}

func TestEveryChangeDeploysAVersionAndRollbackWorks(t *testing.T) {
	a := start(t)
	first := a.mustPut("api", worker(doCode, nil, nil))
	a.putSecret("JWT_SECRET", "one")
	second := a.mustPut("api", worker(doCode+"//v2", nil, nil))

	deps := a.deployments("api")
	if len(deps) != 3 {
		t.Fatalf("%d deployments, want one per upload and secret change", len(deps))
	}
	for i := 1; i < len(deps); i++ {
		if deps[i-1].CreatedOn <= deps[i].CreatedOn {
			t.Fatal("deployments must be newest first with distinct times")
		}
	}
	// deployment_id names the version without hyphens (wrangler
	// workers-utils parse.ts converts that form).
	if strings.ReplaceAll(deps[0].Versions[0].VersionID, "-", "") != second["deployment_id"] || deps[0].Versions[0].Percentage != 100 {
		t.Fatalf("latest deployment %+v, upload named version %v", deps[0], second["deployment_id"])
	}
	var versions struct {
		Items []struct {
			ID       string `json:"id"`
			Number   int    `json:"number"`
			Metadata struct {
				CreatedOn string `json:"created_on"`
			} `json:"metadata"`
		} `json:"items"`
	}
	a.ok("GET", a.acct+"/workers/scripts/api/versions", nil, &versions)
	if len(versions.Items) != 3 || versions.Items[0].Number != 3 {
		t.Fatalf("versions %+v", versions.Items)
	}
	a.ok("GET", a.acct+"/workers/scripts/api/versions/"+versions.Items[2].ID, nil, nil)
	a.fails("GET", a.acct+"/workers/scripts/api/versions/nope", nil, 404, 10071)

	// Rolling back to the first version (before the secret) needs force.
	rollback := map[string]any{
		"strategy": "percentage", "annotations": map[string]string{"workers/message": "Rollback"},
		"versions": []map[string]any{{"version_id": hyphenated(first["deployment_id"].(string)), "percentage": 100}},
	}
	msg := a.fails("POST", a.acct+"/workers/scripts/api/deployments", rollback, 400, 10220)
	if !strings.Contains(msg, "The following secrets have changed: JWT_SECRET") {
		t.Fatalf("message %q: wrangler parses the secret list after that phrase", msg)
	}
	a.ok("POST", a.acct+"/workers/scripts/api/deployments?force=true", rollback, nil)
	if etag := a.service()["etag"]; etag != first["etag"] {
		t.Fatalf("after rollback the etag is %v, want the first version's %v", etag, first["etag"])
	}
	// The newest version is no longer deployed: secret edits are refused.
	a.fails("PUT", a.acct+"/workers/scripts/api/secrets", map[string]string{"name": "X", "text": "y", "type": "secret_text"}, 400, 10215)

	// Redeploying the deployed version needs no force.
	a.ok("POST", a.acct+"/workers/scripts/api/deployments", rollback, nil)
	bad := map[string]any{"strategy": "percentage", "versions": []map[string]any{{"version_id": second["deployment_id"], "percentage": 50}}}
	a.fails("POST", a.acct+"/workers/scripts/api/deployments", bad, 400, 10021)
}

// hyphenated writes a 32-hex-digit id as a UUID, as wrangler does.
func hyphenated(id string) string {
	return id[0:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32]
}
