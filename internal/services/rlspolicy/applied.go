package rlspolicy

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

// appliedKey is the private-state key of what the last apply wrote: each
// expression's configured text and the form the server stored it in. A
// plan whose text is the same takes the remembered form instead of asking
// the server again; the refresh still reads the live form from pg_policy.
const appliedKey = "applied_expressions"

type appliedExpr struct {
	Text       *string `json:"text"`       // nil: the clause was absent
	Normalized string  `json:"normalized"` // "" when absent
}

type applied struct {
	Using     *appliedExpr `json:"using"`
	WithCheck *appliedExpr `json:"with_check"`
}

// normalFor returns the remembered normal form of cfg, if cfg is the text
// written last on this same table.
func (a *appliedExpr) normalFor(cfg types.String, sameTable bool) (string, bool) {
	switch {
	case a == nil || !sameTable || cfg.IsUnknown():
		return "", false
	case cfg.IsNull():
		return "", a.Text == nil
	}
	return a.Normalized, a.Text != nil && *a.Text == cfg.ValueString()
}

func loadApplied(ctx context.Context, p writeonly.PrivateGetter) (applied, diag.Diagnostics) {
	var a applied
	data, diags := p.GetKey(ctx, appliedKey)
	if len(data) > 0 && json.Unmarshal(data, &a) != nil {
		a = applied{} // unreadable: normalise afresh
	}
	return a, diags
}

// saveApplied records what was written (the planned texts) and how the
// server stored it (got).
func saveApplied(ctx context.Context, p writeonly.PrivateSetter, plan *policyModel, got *policysql.Policy) diag.Diagnostics {
	expr := func(text types.String, stored string) *appliedExpr {
		if text.IsNull() || text.IsUnknown() {
			return &appliedExpr{}
		}
		t := text.ValueString()
		return &appliedExpr{Text: &t, Normalized: stored}
	}
	data, _ := json.Marshal(applied{Using: expr(plan.Using, got.Using), WithCheck: expr(plan.WithCheck, got.WithCheck)})
	return p.SetKey(ctx, appliedKey, data)
}
