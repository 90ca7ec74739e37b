package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/planreview"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/squawkcli"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// The golden tests review plans the real terraform made of the project's
// development environment on the local stack (a copy of examples/ and
// modules/, applied once), each after one change a pull request could make,
// and compare the comment with testdata/<name>.md. UPDATE_GOLDEN=1 writes
// the files instead; read the diff before committing them.

// edit is a pull request's change to the copy: in file, old becomes new
// (old "" appends to the file, or writes a new one).
type edit []struct{ file, old, new string }

// Each scenario's exit code with the default policy (-fail-on high) is
// risky: 3 when the review finds a high risk, else 0.
var scenarios = []struct {
	name  string
	edit  edit
	risky bool
}{
	{name: "no-change"},
	{name: "code-change", edit: edit{{"examples/environments/app/worker/index.js", "", "// Release 2: bookings carry a note.\n"}}},
	{name: "secret-rotation", edit: edit{{"examples/environments/development/review_override.tf", "",
		"module \"environment\" {\n  secret_versions = { JWT_SECRET = 2, WEBHOOK_SECRET = 2 }\n}\n"}}},
	{name: "destroyed-namespace", risky: true, edit: edit{{"modules/environment/main.tf", `kv_namespaces = ["CACHE", "RATE_LIMIT"]`, `kv_namespaces = ["CACHE"]`}}},
	{name: "deleted-durable-object-class", risky: true, edit: edit{
		{"modules/environment/main.tf", "development = { slot_generator = true,", "development = { slot_generator = false,"},
		{"modules/environment/main.tf", "  kv_namespaces = [", "  allow_durable_object_deletion = true\n  kv_namespaces = ["},
	}},
	{name: "migration-drops-column", risky: true, edit: edit{{"examples/environments/app/supabase/migrations/20250301000200_drop_user_email.sql", "",
		"-- Emails move to auth.users: the profile's copy goes.\nalter table public.users drop column email;\ncreate index bookings_starts_at_idx on public.bookings (starts_at);\n"}}},
	{name: "removed-policy", edit: edit{{"modules/environment/main.tf", `    "Users can view mentors" = {
      table   = "users"
      command = "SELECT"
      roles   = ["authenticated"]
      using   = "role = 'mentor'"
    }
`, ""}}},
	{name: "widened-grant", risky: true, edit: edit{{"modules/environment/main.tf",
		`    users_service          = { table = "users", role = "service_role", privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"] }`,
		`    users_service          = { table = "users", role = "service_role", privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"] }
    users_anon             = { table = "users", role = "anon", privileges = ["SELECT"] }`}}},
}

func TestGoldenComments(t *testing.T) {
	d := development(t)
	squawkBin := testutil.RequireTool(t, "squawk-cli "+squawkcli.Version, squawkcli.Install)
	ctx := t.Context()
	s, env, root, dir := d.s, d.env, d.root, d.dir
	lint := squawk{bin: squawkBin, version: squawkcli.Version}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			undo := apply(t, root, sc.edit)
			defer undo()
			if _, err := s.Run(ctx, "review-plan-"+sc.name, s.TF(dir, env, "plan", "-input=false", "-no-color", "-out=tfplan")); err != nil {
				t.Fatal(err)
			}
			plan := showJSON(t, ctx, s, dir, env)
			report, err := planreview.Review([]planreview.Input{{Name: "development", Plan: plan, Dir: dir}}, lint)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, sc.name, strings.ReplaceAll(report.Markdown(planreview.GitHubLimit), root, "<repo>"))

			// The command on the same plan: its exit code, and the override label.
			planFile := filepath.Join(dir, "plan.json")
			if err := os.WriteFile(planFile, planJSON(t, plan), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"-plan", "development=" + planFile, "-squawk", squawkBin, "-out", filepath.Join(t.TempDir(), "review.md")}
			want := exitOK
			if sc.risky {
				want = exitRisk
			}
			if code := run(args); code != want {
				t.Errorf("exit code %d, want %d", code, want)
			}
			if code := run(append(args, "-labels", "infra,plan-risk-accepted")); code != exitOK {
				t.Errorf("with the override label: exit code %d, want 0", code)
			}
		})
	}

	// 500 changes: the comment stays within GitHub's limit and says what it
	// left out.
	t.Run("five-hundred-changes", func(t *testing.T) {
		large := filepath.Join(s.Root, "large")
		if err := os.MkdirAll(large, 0o755); err != nil {
			t.Fatal(err)
		}
		hcl := `terraform {
  required_providers {
    officehours = { source = "youcanjustdothings/officehours" }
  }
}

resource "officehours_kv_namespace" "tenant" {
  count = 500
  title = format("cf-office-hours-api-production-tenant-%03d-%s", count.index, "` + strings.Repeat("x", 80) + `")
}
`
		if err := os.WriteFile(filepath.Join(large, "main.tf"), []byte(hcl), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"plan", "-input=false", "-no-color", "-out=tfplan"}} {
			if _, err := s.Run(ctx, "review-large-"+args[0], s.TF(large, env, args...)); err != nil {
				t.Fatal(err)
			}
		}
		report, err := planreview.Review([]planreview.Input{{Name: "production", Plan: showJSON(t, ctx, s, large, env), Dir: large}}, lint)
		if err != nil {
			t.Fatal(err)
		}
		md := report.Markdown(planreview.GitHubLimit)
		if len(md) > planreview.GitHubLimit {
			t.Fatalf("%d characters, over GitHub's %d", len(md), planreview.GitHubLimit)
		}
		golden(t, "five-hundred-changes", md)
	})
}

// apply makes the edit in the copy and returns what undoes it.
func apply(t *testing.T, root string, e edit) func() {
	t.Helper()
	var undo []func()
	for _, change := range e {
		path := filepath.Join(root, change.file)
		old, err := os.ReadFile(path)
		existed := err == nil
		content := string(old) + change.new
		if change.old != "" {
			if !strings.Contains(string(old), change.old) {
				t.Fatalf("%s does not contain %q: the scenario needs updating", change.file, change.old)
			}
			content = strings.Replace(string(old), change.old, change.new, 1)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		undo = append(undo, func() {
			if existed {
				_ = os.WriteFile(path, old, 0o644)
			} else {
				_ = os.Remove(path)
			}
		})
	}
	return func() { // last first: two edits of one file undo to the original
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
}

func showJSON(t *testing.T, ctx context.Context, s *bench.Stack, dir string, env []string) *tfjson.Plan {
	t.Helper()
	c := s.TF(dir, env, "show", "-json", "tfplan")
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir, cmd.Env = c.Dir, c.Env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(out, &plan); err != nil {
		t.Fatal(err)
	}
	return &plan
}

func planJSON(t *testing.T, plan *tfjson.Plan) []byte {
	t.Helper()
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".md")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the comment differs from %s (UPDATE_GOLDEN=1 rewrites it):\n%s", path, diff(string(want), got))
	}
}

// diff shows the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, a, b)
		}
	}
	return ""
}
