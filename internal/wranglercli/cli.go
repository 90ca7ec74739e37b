// Package wranglercli installs Cloudflare's wrangler from npm into a cache
// directory and runs it against a local Cloudflare API, for tests that prove
// this provider and wrangler manage the same Workers without tripping over
// each other.
package wranglercli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/npmtool"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// Version is the wrangler release the compatibility tests pin: the newest
// that runs on Node.js 20.
const Version = "4.86.0"

var tool = npmtool.Tool{
	Name: "wrangler", DirEnv: "OFFICEHOURS_WRANGLER_DIR",
	Package: "wrangler", Version: Version, Find: installed,
}

// Dir is where wrangler is installed: $OFFICEHOURS_WRANGLER_DIR, else
// $HOME/.cache/officehours/wrangler.
func Dir() (string, error) { return tool.Dir() }

// Install returns the path of wrangler's launcher, running
// `npm install wrangler@<Version>` into Dir first if it is not there. Its
// dependencies (esbuild, workerd) come from npm too. Concurrent test
// binaries serialise on a lock file.
func Install(ctx context.Context) (string, error) { return tool.Install(ctx) }

// installed finds node_modules/.bin/wrangler and checks the package's
// version, then that it runs.
func installed(ctx context.Context, dir string) (string, bool) {
	if !npmtool.HasPackage(dir, "wrangler", Version) {
		return "", false
	}
	bin := filepath.Join(dir, "node_modules", ".bin", "wrangler")
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--version")
	cmd.Env = append(baseEnv(), "HOME="+os.TempDir(), "WRANGLER_SEND_METRICS=false", "WRANGLER_HIDE_BANNER=true")
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), Version) {
		return "", false
	}
	return bin, true
}

// Require installs wrangler or fails the test: compatibility tests must
// never pass by skipping.
func Require(t testing.TB) string {
	t.Helper()
	return testutil.RequireTool(t, "wrangler "+Version, Install)
}

// API is the local Cloudflare API wrangler is pointed at.
type API struct {
	BaseURL, Token, AccountID string
}

// CLI runs wrangler against one API with a private home directory, so it
// never reads real credentials or writes outside the test.
type CLI struct {
	Bin  string
	API  API
	Home string
}

// New installs wrangler (failing t if it cannot) and returns a CLI for api
// whose home directory is a fresh temporary directory.
func New(t testing.TB, api API) *CLI {
	t.Helper()
	return &CLI{Bin: Require(t), API: api, Home: t.TempDir()}
}

// baseEnv is the environment without anything that could point wrangler
// at a real account or change where it keeps its configuration.
func baseEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "CLOUDFLARE_"), strings.HasPrefix(name, "CF_"), strings.HasPrefix(name, "WRANGLER_"),
			strings.HasPrefix(name, "XDG_"), name == "HOME", name == "NODE_OPTIONS":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// Env is the environment wrangler runs with.
func (c *CLI) Env() []string {
	return append(baseEnv(),
		"HOME="+c.Home,
		"XDG_CONFIG_HOME="+filepath.Join(c.Home, ".config"),
		"CLOUDFLARE_API_BASE_URL="+c.API.BaseURL,
		"CLOUDFLARE_API_TOKEN="+c.API.Token,
		"CLOUDFLARE_ACCOUNT_ID="+c.API.AccountID,
		"WRANGLER_SEND_METRICS=false",
		"WRANGLER_SEND_ERROR_REPORTS=false",
		"WRANGLER_HIDE_BANNER=true",
		"WRANGLER_LOG_PATH="+filepath.Join(c.Home, "logs"),
		"CI=true", // never prompt
		"NO_COLOR=1",
		"FORCE_COLOR=0",
	)
}

// Run runs wrangler in workdir with stdin (may be empty) and returns its
// standard output; a non-zero exit fails t with both outputs.
func (c *CLI) Run(t testing.TB, workdir, stdin string, args ...string) string {
	t.Helper()
	stdout, stderr, err := c.Try(workdir, stdin, args...)
	if err != nil {
		t.Fatalf("wrangler %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// Try is Run without failing the test.
func (c *CLI) Try(workdir, stdin string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin, args...)
	cmd.Dir = workdir
	cmd.Env = c.Env()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}
