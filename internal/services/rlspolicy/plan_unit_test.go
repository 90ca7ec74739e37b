package rlspolicy

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPlanExpression(t *testing.T) {
	s := types.StringValue
	null, unknown := types.StringNull(), types.StringUnknown()
	prior := &policyModel{Using: s("a=1"), UsingNormalized: s("(a = 1)")}
	get := func(m *policyModel) (types.String, types.String) { return m.Using, m.UsingNormalized }
	for _, tc := range []struct {
		name               string
		cfg                types.String
		norm               string
		known              bool
		state              *policyModel
		wantText, wantNorm types.String
	}{
		{"create", s("a = 1"), "(a = 1)", true, nil, s("a = 1"), s("(a = 1)")},
		{"reformatted: keep the prior text, no diff", s("(a=1)"), "(a = 1)", true, prior, s("a=1"), s("(a = 1)")},
		{"changed config", s("a = 2"), "(a = 2)", true, prior, s("a = 2"), s("(a = 2)")},
		{"dashboard drift: same text, stored form differs", s("a=1"), "(a = 1)", true,
			&policyModel{Using: s("a=1"), UsingNormalized: s("true")}, s("a=1"), s("(a = 1)")},
		{"removed", null, "", true, prior, null, null},
		{"unknown server form, same text keeps prior", s("a=1"), "", false, prior, s("a=1"), s("(a = 1)")},
		{"unknown server form, new text", s("a = 2"), "", false, prior, s("a = 2"), unknown},
		{"imported: prior text is the server form", s("a = 1"), "(a = 1)", true,
			&policyModel{Using: s("(a = 1)"), UsingNormalized: s("(a = 1)")}, s("(a = 1)"), s("(a = 1)")},
	} {
		var text, norm types.String
		planExpression(&text, &norm, tc.cfg, tc.norm, tc.known, tc.state, get)
		if !text.Equal(tc.wantText) || !norm.Equal(tc.wantNorm) {
			t.Errorf("%s: planned %v / %v, want %v / %v", tc.name, text, norm, tc.wantText, tc.wantNorm)
		}
	}
}

func TestPlanRoles(t *testing.T) {
	ctx := context.Background()
	set := func(v ...string) types.Set {
		if v == nil {
			return types.SetNull(types.StringType)
		}
		out, _ := types.SetValueFrom(ctx, types.StringType, v)
		return out
	}
	partlyUnknown, _ := types.SetValue(types.StringType, []attr.Value{types.StringUnknown()})
	for _, tc := range []struct {
		name        string
		cfg, prior  types.Set
		plan, want  types.Set
		stateExists bool
	}{
		{name: "omitted on create plans public", cfg: set(), plan: types.SetUnknown(types.StringType), want: set("public")},
		{name: "PUBLIC in capitals keeps the prior spelling", cfg: set("PUBLIC"), prior: set("public"), plan: set("PUBLIC"), want: set("public"), stateExists: true},
		{name: "empty set equals public", cfg: set([]string{}...), prior: set("public"), plan: set([]string{}...), want: set("public"), stateExists: true},
		{name: "omitted after dashboard change plans public", cfg: set(), prior: set("anon"), plan: types.SetUnknown(types.StringType), want: set("public"), stateExists: true},
		{name: "changed roles plan the config", cfg: set("anon"), prior: set("authenticated"), plan: set("anon"), want: set("anon"), stateExists: true},
		{name: "unknown element leaves the plan alone", cfg: partlyUnknown, prior: set("public"), plan: partlyUnknown, want: partlyUnknown, stateExists: true},
	} {
		plan := &policyModel{Roles: tc.plan}
		var state *policyModel
		if tc.stateExists {
			state = &policyModel{Roles: tc.prior}
		}
		if d := planRoles(ctx, plan, &policyModel{Roles: tc.cfg}, state); d.HasError() {
			t.Fatalf("%s: %v", tc.name, d)
		}
		if !plan.Roles.Equal(tc.want) {
			t.Errorf("%s: planned %v, want %v", tc.name, plan.Roles, tc.want)
		}
	}
}
