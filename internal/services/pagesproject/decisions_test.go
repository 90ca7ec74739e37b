package pagesproject

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

// ModifyPlan's decision per secret, without Terraform: which secrets are
// written (revision unknown) and which keep their revision.
func TestPlannedRevisions(t *testing.T) {
	record := writeonly.New(fingerprintsKey)
	for name, value := range map[string]string{"production/KEPT": "same", "production/ROTATED": "old"} {
		if err := record.Written(name, value); err != nil {
			t.Fatal(err)
		}
	}
	state := map[string]attr.Value{
		"KEPT": types.Int64Value(3), "ROTATED": types.Int64Value(1), "IMPORTED": types.Int64Value(1),
	}
	configured := map[string]attr.Value{
		"KEPT":     types.StringValue("same"),
		"ROTATED":  types.StringValue("new"),
		"IMPORTED": types.StringValue("whatever"), // no fingerprint: adopted, kept
		"NEW":      types.StringValue("first"),    // not in state
		"LATER":    types.StringUnknown(),         // known only at apply
	}
	for _, tt := range []struct {
		name        string
		rewriteAll  bool
		wantWritten []string
		wantAdopted []string
	}{
		{"by fingerprint", false, []string{"LATER", "NEW", "ROTATED"}, []string{"production.IMPORTED"}},
		{"secret_variables_version changed", true, []string{"IMPORTED", "KEPT", "LATER", "NEW", "ROTATED"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			revs, adopted := plannedRevisions("production", configured, state, tt.rewriteAll, record)
			var written []string
			for name, rev := range revs {
				if rev.IsUnknown() {
					written = append(written, name)
				} else if !rev.Equal(state[name]) {
					t.Errorf("%s kept revision %v, state has %v", name, rev, state[name])
				}
			}
			slices.Sort(written)
			if !slices.Equal(written, tt.wantWritten) || !slices.Equal(adopted, tt.wantAdopted) {
				t.Errorf("written %v adopted %v, want %v and %v", written, adopted, tt.wantWritten, tt.wantAdopted)
			}
		})
	}
}

// What a write sends: the secrets the plan marked (Bump), and adopted ones
// (no fingerprint yet) along with them, so that their changes are seen from
// then on; an unchanged fingerprinted secret is not sent.
func TestToWrite(t *testing.T) {
	ctx := context.Background()
	record := writeonly.New(fingerprintsKey)
	if err := record.Written("production/KEPT", "same"); err != nil {
		t.Fatal(err)
	}
	secrets := types.MapValueMust(types.StringType, map[string]attr.Value{
		"KEPT": types.StringValue("same"), "ROTATED": types.StringValue("new"), "ADOPTED": types.StringValue("live"),
	})
	revs := types.MapValueMust(types.Int64Type, map[string]attr.Value{
		"KEPT": types.Int64Value(2), "ROTATED": types.Int64Unknown(), "ADOPTED": types.Int64Value(1),
	})
	plan := &projectModel{Production: &envModel{SecretVariables: secrets, SecretRevisions: revs}}
	config := &projectModel{Production: &envModel{SecretVariables: secrets}}
	var diags diag.Diagnostics
	got := toWrite(ctx, plan, config, record, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := secretWrites{
		"production": {"ROTATED": {Value: "new", Bump: true}, "ADOPTED": {Value: "live", Bump: false}},
		"preview":    {},
	}
	if len(got) != len(want) || len(got["production"]) != 2 || got["production"]["ROTATED"] != want["production"]["ROTATED"] ||
		got["production"]["ADOPTED"] != want["production"]["ADOPTED"] || len(got["preview"]) != 0 {
		t.Fatalf("toWrite = %+v, want %+v", got, want)
	}

	// After the write: both fingerprinted, only the bumped one gets a new
	// revision, and a secret no longer configured is forgotten.
	if err := record.Written("production/REMOVED", "x"); err != nil {
		t.Fatal(err)
	}
	state := &projectModel{Production: &envModel{SecretRevisions: types.MapValueMust(types.Int64Type, map[string]attr.Value{
		"KEPT": types.Int64Value(2), "ROTATED": types.Int64Value(4), "ADOPTED": types.Int64Value(1),
	})}}
	newRevs, err := recordWrites(record, got, state, map[string][]string{"production": {"ADOPTED", "KEPT", "ROTATED"}})
	if err != nil {
		t.Fatal(err)
	}
	if newRevs["production"]["ROTATED"] != 5 || len(newRevs["production"]) != 1 {
		t.Errorf("new revisions %v, want ROTATED 5 only", newRevs)
	}
	for name, want := range map[string]bool{"production/KEPT": true, "production/ROTATED": true, "production/ADOPTED": true, "production/REMOVED": false} {
		if record.Known(name) != want {
			t.Errorf("fingerprint of %s known = %v, want %v", name, record.Known(name), want)
		}
	}
}

// An optional block the API always returns is reported when the
// configuration had it or the API holds something only a configuration
// sets; otherwise it stays null, so leaving it out plans nothing.
func TestOptionalBlocksStayNullUnlessMeaningful(t *testing.T) {
	defaults := &apiProject{BuildConfig: apiBuild{BuildCaching: envdiff.DefaultBuildCaching}}
	var m projectModel
	m.fromAPI(defaults, &projectModel{})
	if m.Build != nil || m.Production != nil || m.Preview != nil {
		t.Errorf("API defaults reported blocks: build %v production %v preview %v", m.Build, m.Production, m.Preview)
	}
	m.fromAPI(defaults, &projectModel{Build: &buildModel{}, Preview: &envModel{}})
	if m.Build == nil || m.Preview == nil || m.Production != nil {
		t.Errorf("configured blocks not reported: build %v preview %v production %v", m.Build, m.Preview, m.Production)
	}
	built := &apiProject{BuildConfig: apiBuild{BuildCommand: "npm run build", BuildCaching: envdiff.DefaultBuildCaching}}
	m.fromAPI(built, &projectModel{})
	if m.Build == nil || m.Build.Command.ValueString() != "npm run build" {
		t.Errorf("a build command set outside Terraform is not reported: %+v", m.Build)
	}
}
