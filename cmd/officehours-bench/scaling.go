package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// workerStack is the configuration of N copies of the worker stack.
type workerStack struct {
	hcl     string
	perCopy int    // resources per copy
	label   string // what one copy holds
	files   map[string]string
}

func (r *runner) workerStack() workerStack {
	head := requiredProviders + `
# The provider's defaults, the limiter's included.
provider "officehours" {}

variable "copies" {
  type = number
}
`
	kv := `
resource "officehours_kv_namespace" "cache" {
  count = var.copies
  title = "bench-api-${count.index}-CACHE"
}

resource "officehours_kv_namespace" "rate_limit" {
  count = var.copies
  title = "bench-api-${count.index}-RATE_LIMIT"
}
`
	return workerStackHCL(head, kv)
}

func runScaling(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	ws := r.workerStack()
	counts := make([]string, len(r.opts.copies))
	for i, n := range r.opts.copies {
		counts[i] = fmt.Sprint(n)
	}
	sec := &bench.Section{Title: "Scaling: " + strings.Join(counts, ", ") + " copies of the worker stack"}
	sec.Para(fmt.Sprintf("One copy is %s: %d resources. Each repetition applies to an empty local API and state, "+
		"then plans again (a refresh of every resource), with the provider's defaults, its limiter included, against "+
		"a local API that holds the token to Cloudflare's window (1,200 requests in any five minutes). The last column "+
		"is the least time the default limiter (%d requests in any five minutes, the rest left to other tools) adds "+
		"to an apply of that many requests sent at once: nothing below %d.",
		ws.label, ws.perCopy, clients.DefaultRequestBudget, clients.DefaultRequestBudget+1))
	dir, err := initDir(ctx, s, "scaling", ws.allFiles())
	if err != nil {
		return sec, err
	}
	table := bench.Table{
		Header: []string{"copies", "resources", "apply wall", "apply requests", "per resource", "plan wall",
			"plan requests", "per resource", "peak RSS (apply)", "default limit adds ≥"},
		Right: []int{0, 1, 3, 4, 6, 7, 8, 9},
	}
	var lists []*seriesList
	var scriptReads []float64
	for _, n := range r.opts.copies {
		var list seriesList
		for rep := 0; rep < r.opts.repeat; rep++ {
			api, err := s.NewAPI()
			if err != nil {
				return sec, err
			}
			removeState(dir)
			env := s.Env(api, "")
			r.logf("scaling %d copies, repetition %d: apply", n, rep+1)
			st, err := check(s.Measure(ctx, "apply", bench.Probe{API: api, Memory: true},
				[]bench.Command{s.TF(dir, env, "apply", "-input=false", "-auto-approve", "-no-color", fmt.Sprintf("-var=copies=%d", n))}))
			if err != nil {
				return sec, err
			}
			list.add(st)
			r.logf("scaling %d copies, repetition %d: plan", n, rep+1)
			st, err = check(s.Measure(ctx, "plan", bench.Probe{API: api, Memory: true},
				[]bench.Command{s.TF(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode", fmt.Sprintf("-var=copies=%d", n))}))
			if err != nil {
				return sec, fmt.Errorf("the plan after apply must be empty: %w", err)
			}
			list.add(st)
			api.Close()
		}
		lists = append(lists, &list)
		apply, plan := list.get("apply"), list.get("plan")
		res := float64(n * ws.perCopy)
		ar, pr := apply.requests(), plan.requests()
		floor := clients.LeastWait(int(ar.Median), clients.DefaultLimit()).Seconds()
		table.Add(fmt.Sprint(n), fmt.Sprint(n*ws.perCopy), apply.wall().Seconds(), ar.Count(),
			fmt.Sprintf("%.2f", ar.Median/res), plan.wall().Seconds(), pr.Count(), fmt.Sprintf("%.2f", pr.Median/res),
			apply.rss().MiB(), bench.FormatSeconds(floor))
		reads := bench.CountWhere(plan.first().Requests, isScriptRead)
		scriptReads = append(scriptReads, float64(reads)/float64(n))
	}
	sec.Table("", table)

	// Requests by route for the largest run.
	last := lists[len(lists)-1]
	sec.Table(fmt.Sprintf("Requests by route, %d copies (first repetition):", r.opts.copies[len(r.opts.copies)-1]), routeTable(last.all()))

	worst := 0.0
	for _, x := range scriptReads {
		worst = max(worst, x)
	}
	largest := r.opts.copies[len(r.opts.copies)-1]
	perResource := last.get("plan").requests().Median / float64(largest*ws.perCopy)
	sec.List("Targets:", bench.TargetLines([]bench.Target{{
		Name: fmt.Sprintf("a refresh of %d copies (%d resources) costs at most 0.1 requests per resource (median)",
			largest, largest*ws.perCopy),
		Measured: perResource, Limit: 0.1, Format: countFmt,
	}, {
		Name:     "a refresh of a worker script costs at most one API request (script routes per script in the plan, worst over copies)",
		Measured: worst, Limit: 1, Format: countFmt,
	}}))
	return sec, nil
}

// isScriptRead picks the requests a refresh of a worker script makes: GETs
// on the script and its service, not on its secrets.
func isScriptRead(method, route string) bool {
	if method != "GET" {
		return false
	}
	if strings.HasPrefix(route, "/workers/services/{") {
		return true
	}
	return strings.HasPrefix(route, "/workers/scripts/{") && !strings.Contains(route, "/secrets")
}
