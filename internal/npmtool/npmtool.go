// Package npmtool installs a pinned command-line tool from the npm registry
// into a cache directory, for tests that run a real CLI (wrangler, the
// Supabase CLI) against this project's stack. Nothing but npm packages is
// downloaded, and only when the pinned version is not installed yet.
package npmtool

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Tool describes one pinned npm package and how to find its binary.
type Tool struct {
	// Name names the cache directory ($HOME/.cache/officehours/<Name>) and
	// the tool in errors.
	Name string
	// DirEnv is a variable that, when set, replaces the cache directory.
	DirEnv string
	// Package and Version are what `npm install <Package>@<Version>` installs.
	Package, Version string
	// Find returns the binary installed in dir, having checked that it runs
	// and reports Version; ok is false when it is not (yet) installed.
	Find func(ctx context.Context, dir string) (bin string, ok bool)
}

// HasPackage reports whether dir holds pkg at version, by its package.json
// (what npm itself reads): for a Tool's Find.
func HasPackage(dir, pkg, version string) bool {
	data, err := os.ReadFile(filepath.Join(append(append([]string{dir, "node_modules"}, strings.Split(pkg, "/")...), "package.json")...))
	if err != nil {
		return false
	}
	var manifest struct{ Version string }
	return json.Unmarshal(data, &manifest) == nil && manifest.Version == version
}

// Dir is where the tool is installed: $<DirEnv>, else
// $HOME/.cache/officehours/<Name>.
func (t Tool) Dir() (string, error) {
	if t.DirEnv != "" {
		if d := os.Getenv(t.DirEnv); d != "" {
			return d, nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the %s cache (set %s): %w", t.Name, t.DirEnv, err)
	}
	return filepath.Join(home, ".cache", "officehours", t.Name), nil
}

// Install returns the path of the tool's binary, running
// `npm install <Package>@<Version>` into Dir first if Find does not find
// it there. Concurrent test binaries serialise on a lock file in Dir.
func (t Tool) Install(ctx context.Context) (string, error) {
	dir, err := t.Dir()
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
	// Closing the file (deferred above) releases the lock too.
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()

	if bin, ok := t.Find(ctx, dir); ok {
		return bin, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("npm is not on PATH; install Node.js and npm (apt-get install nodejs npm) so %s can be installed", t.Name)
	}
	spec := t.Package + "@" + t.Version
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save", spec)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm install %s into %s failed: %w\n%s", spec, dir, err, out)
	}
	bin, ok := t.Find(ctx, dir)
	if !ok {
		return "", fmt.Errorf("npm installed %s into %s, but no working %s %s was found there", spec, dir, t.Name, t.Version)
	}
	return bin, nil
}
