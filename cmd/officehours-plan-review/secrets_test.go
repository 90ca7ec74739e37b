package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Secrets stay out of the plan, the state and the logs: the development
// environment's plan JSON, its state and a TRACE log of a plan hold none
// of the values it uses.
func TestDevelopmentEnvironmentKeepsSecretsOut(t *testing.T) {
	d := development(t)
	ctx := t.Context()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	env := append(slices.Clone(d.env), "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	planDir := t.TempDir()
	if _, err := d.s.Run(ctx, "secrets-plan", d.s.TF(d.dir, env, "plan", "-input=false", "-no-color", "-out="+filepath.Join(planDir, "tfplan"))); err != nil {
		t.Fatal(err)
	}
	c := d.s.TF(d.dir, d.env, "show", "-json", filepath.Join(planDir, "tfplan"))
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir, cmd.Env = c.Dir, c.Env
	planJSON, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	state, err := os.ReadFile(filepath.Join(d.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	trace, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// Each must really hold what it should, or the scan proves nothing.
	if !strings.Contains(string(trace), "officehours_worker_secret") || !strings.Contains(string(state), "officehours_worker_secret") ||
		!strings.Contains(string(planJSON), "resource_changes") {
		t.Fatal("the plan, state or log lacks the environment's resources")
	}
	for what, data := range map[string][]byte{"the plan JSON": planJSON, "the state": state, "the TRACE log": trace} {
		for _, secret := range d.secrets {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds a secret (%.12s…)", what, secret)
			}
		}
	}
}
