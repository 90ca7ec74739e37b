// Package supabasecli installs the Supabase CLI from npm into a cache
// directory and runs it, for tests that prove this provider and the CLI
// read and write the same migration history.
package supabasecli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/npmtool"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// Version is the CLI release the compatibility tests pin.
const Version = "3.1.0"

// tool is the CLI as an npm package. The package ships the binary (in
// @supabase/cli-<platform>), so nothing else is downloaded.
var tool = npmtool.Tool{
	Name: "supabase-cli", DirEnv: "OFFICEHOURS_SUPABASE_CLI_DIR",
	Package: "supabase", Version: Version, Find: installed,
}

// Dir is where the CLI is installed: $OFFICEHOURS_SUPABASE_CLI_DIR, else
// $HOME/.cache/officehours/supabase-cli.
func Dir() (string, error) { return tool.Dir() }

// Install returns the path of the CLI binary, running
// `npm install supabase@<Version>` into Dir first if it is not there.
// Concurrent test binaries serialise on a lock file.
func Install(ctx context.Context) (string, error) { return tool.Install(ctx) }

// installed finds the platform binary the npm package's launcher would run
// and checks its version.
func installed(ctx context.Context, dir string) (string, bool) {
	matches, _ := filepath.Glob(filepath.Join(dir, "node_modules", "@supabase", "cli-*", "bin", "supabase"))
	for _, bin := range matches {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		out, err := exec.CommandContext(ctx, bin, "--version").Output()
		cancel()
		if err == nil && strings.TrimSpace(string(out)) == Version {
			return bin, true
		}
	}
	return "", false
}

// Require installs the CLI or fails the test: compatibility tests must never
// pass by skipping.
func Require(t testing.TB) string {
	t.Helper()
	return testutil.RequireTool(t, "the Supabase CLI "+Version, Install)
}

// Run runs the CLI in workdir (which holds supabase/migrations) with
// telemetry off and returns its standard output; a non-zero exit fails t.
func Run(t testing.TB, bin, workdir string, args ...string) string {
	t.Helper()
	stdout, stderr, err := Try(bin, workdir, args...)
	if err != nil {
		t.Fatalf("supabase %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// Try is Run without failing the test.
func Try(bin, workdir string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--workdir", workdir)...)
	cmd.Dir = workdir
	cmd.Env = append(os.Environ(), "SUPABASE_TELEMETRY_DISABLED=1", "DO_NOT_TRACK=1", "NO_COLOR=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// Listed is one line of `supabase migration list --output-format json`.
type Listed struct {
	Local  string `json:"local"`
	Remote string `json:"remote"`
}

// List runs `migration list` against url and returns its rows.
func List(t testing.TB, bin, workdir, url string) []Listed {
	t.Helper()
	out := Run(t, bin, workdir, "migration", "list", "--remote="+url, "--output-format", "json")
	var v struct {
		Migrations []Listed `json:"migrations"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("supabase migration list: unexpected output %q: %v", out, err)
	}
	return v.Migrations
}
