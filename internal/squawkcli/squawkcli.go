// Package squawkcli installs squawk, the PostgreSQL migration linter
// (npm squawk-cli, whose platform binaries are npm packages too: nothing
// else is downloaded), for the plan review and its tests.
package squawkcli

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/npmtool"
)

// Version is the squawk-cli release the project pins.
const Version = "2.66.0"

var tool = npmtool.Tool{
	Name: "squawk", DirEnv: "OFFICEHOURS_SQUAWK_DIR",
	Package: "squawk-cli", Version: Version, Find: installed,
}

func installed(ctx context.Context, dir string) (string, bool) {
	bin := filepath.Join(dir, "node_modules", ".bin", "squawk")
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	return bin, err == nil && strings.TrimSpace(string(out)) == "squawk "+Version
}

// Install returns the squawk binary, installing it first if needed.
func Install(ctx context.Context) (string, error) { return tool.Install(ctx) }
