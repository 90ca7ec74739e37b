package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// SecretsAbsent is a plan and state check that none of the values appears
// anywhere in the plan or the state Terraform records.
func SecretsAbsent(values ...string) NoSecrets { return NoSecrets{values} }

// NoSecrets is the check SecretsAbsent returns.
type NoSecrets struct{ values []string }

func (n NoSecrets) find(doc any) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	for _, v := range n.values {
		if strings.Contains(string(data), v) {
			return fmt.Errorf("secret value %q found in %T", v, doc)
		}
	}
	return nil
}

// CheckPlan implements plancheck.PlanCheck.
func (n NoSecrets) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = n.find(req.Plan)
}

// CheckState implements statecheck.StateCheck.
func (n NoSecrets) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = n.find(req.State)
}
