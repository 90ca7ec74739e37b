// Package storagejs installs Supabase's own Storage client,
// @supabase/storage-js, from npm and runs scripts with it, for tests that
// prove the local Storage API answers it as Supabase Storage does.
package storagejs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/npmtool"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// Version is the storage-js release the tests pin: the newest that
// declares Node.js 20 (2.110.0 and later want 22).
const Version = "2.109.0"

var tool = npmtool.Tool{
	Name: "storage-js", DirEnv: "OFFICEHOURS_STORAGE_JS_DIR",
	Package: "@supabase/storage-js", Version: Version, Find: installed,
}

// installed finds the package's ES module and checks its version.
func installed(_ context.Context, dir string) (string, bool) {
	if !npmtool.HasPackage(dir, "@supabase/storage-js", Version) {
		return "", false
	}
	base := filepath.Join(dir, "node_modules", "@supabase", "storage-js")
	module := filepath.Join(base, "dist", "index.mjs")
	if _, err := os.Stat(module); err != nil {
		return "", false
	}
	return module, true
}

// Run runs an ES module script with node; the script imports
// StorageClient from "storage-js" (rewritten to the installed module) and
// prints its results. It returns what the script printed.
func Run(t testing.TB, script string, env ...string) string {
	t.Helper()
	module := testutil.RequireTool(t, "@supabase/storage-js "+Version, tool.Install)
	path := filepath.Join(t.TempDir(), "script.mjs")
	script = strings.ReplaceAll(script, `from "storage-js"`, `from "`+module+`"`)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "node", path)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", path, err, out)
	}
	return string(out)
}
