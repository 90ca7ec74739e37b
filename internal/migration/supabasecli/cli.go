// Package supabasecli installs the Supabase CLI from npm into a cache
// directory and runs it, for tests that prove this provider and the CLI
// read and write the same migration history.
package supabasecli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Version is the CLI release the compatibility tests pin.
const Version = "3.1.0"

// Dir is where the CLI is installed: $OFFICEHOURS_SUPABASE_CLI_DIR, else
// $HOME/.cache/officehours/supabase-cli.
func Dir() (string, error) {
	if d := os.Getenv("OFFICEHOURS_SUPABASE_CLI_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the CLI cache (set OFFICEHOURS_SUPABASE_CLI_DIR): %w", err)
	}
	return filepath.Join(home, ".cache", "officehours", "supabase-cli"), nil
}

// Install returns the path of the CLI binary, running
// `npm install supabase@<Version>` into Dir first if it is not there. The
// npm package ships the binary (in @supabase/cli-<platform>), so nothing
// else is downloaded. Concurrent test binaries serialise on a lock file.
func Install(ctx context.Context) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".install.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("locking %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	if bin, ok := installed(ctx, dir); ok {
		return bin, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("npm is not on PATH; install Node.js and npm (apt-get install nodejs npm) so the Supabase CLI can be installed")
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save", "supabase@"+Version)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm install supabase@%s into %s failed: %w\n%s", Version, dir, err, out)
	}
	bin, ok := installed(ctx, dir)
	if !ok {
		return "", fmt.Errorf("npm installed supabase@%s into %s, but no working binary was found under node_modules/@supabase/cli-*/bin", Version, dir)
	}
	return bin, nil
}

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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin, err := Install(ctx)
	if err != nil {
		t.Fatalf("the Supabase CLI %s is needed for this compatibility test and could not be installed: %v", Version, err)
	}
	return bin
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
