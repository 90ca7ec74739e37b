package main

import (
	"context"
	"fmt"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// runWindow applies a stack too large for one of Cloudflare's windows to a
// local API that enforces it, as Cloudflare does, and plans right after:
// the limiter must hold every five minutes under 1,200 requests, so that
// Cloudflare never refuses one (and never blocks the token for five
// minutes), across the two provider processes.
func runWindow(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	ws := r.workerStack()
	n := r.opts.windowCopies
	sec := &bench.Section{Title: fmt.Sprintf("Cloudflare's window: %d copies of the worker stack", n)}
	if n == 0 {
		sec.Para("Not run (`-window-copies 0`, as `-quick` sets it): the scenario waits out a five-minute window.")
		return sec, nil
	}
	sec.Para(fmt.Sprintf("One apply of %d copies of the worker stack (%s; %d resources) to an empty local API that holds "+
		"the token to Cloudflare's window (1,200 requests in any five minutes; past it Cloudflare answers 429 and blocks "+
		"the token for five minutes), then a plan right after, in the same window: a provider process of its own that "+
		"learns what is left from Cloudflare's `Ratelimit` header. The provider's defaults, %d of the 1,200 for itself.",
		n, ws.label, n*ws.perCopy, clients.DefaultRequestBudget))
	dir, err := initDir(ctx, s, "window", ws.allFiles())
	if err != nil {
		return sec, err
	}
	api, err := s.NewAPI()
	if err != nil {
		return sec, err
	}
	defer api.Close()
	env := s.Env(api, "")
	copiesVar := fmt.Sprintf("-var=copies=%d", n)
	var list seriesList
	r.logf("window: apply %d copies", n)
	st, err := check(s.Measure(ctx, "apply", bench.Probe{API: api, Memory: true},
		[]bench.Command{s.TF(dir, env, "apply", "-input=false", "-auto-approve", "-no-color", copiesVar)}))
	if err != nil {
		return sec, err
	}
	list.add(st)
	r.logf("window: plan")
	st, err = check(s.Measure(ctx, "plan right after", bench.Probe{API: api, Memory: true},
		[]bench.Command{s.TF(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode", copiesVar)}))
	if err != nil {
		return sec, fmt.Errorf("the plan after apply must be empty: %w", err)
	}
	list.add(st)
	sec.Table("", stepTable(list.all(), true, false))
	stats := api.Server.RateLimitStats()
	sec.List("Targets:", bench.TargetLines([]bench.Target{{
		Name:     fmt.Sprintf("no request refused for the window (429, code 971), of %d answered", stats.Admitted),
		Measured: float64(stats.Refused), Limit: 0,
	}, {
		Name:     "at most 1,200 requests in any five minutes (the most the local API counted in one window)",
		Measured: float64(stats.Peak), Limit: 1200,
	}, {
		Name:     "the run needed more than one window: at least 1,500 requests",
		Measured: float64(stats.Admitted), Limit: 1500, AtLeast: true,
	}}))
	return sec, nil
}
