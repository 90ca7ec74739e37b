package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

const productionDir = "examples/environments/production"

func runProduction(ctx context.Context, r *runner) (*bench.Section, error) {
	sec := &bench.Section{Title: "Production environment"}
	if _, err := os.Stat(filepath.Join(r.stack.Repo, productionDir)); err != nil {
		sec.Para("skipped: " + productionDir + " not present")
		return sec, nil
	}
	sec.Para("not written yet")
	return sec, nil
}
