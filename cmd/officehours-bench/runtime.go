package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localruntime"
)

// runtimeReleases is how many code changes the runtime scenario applies.
const runtimeReleases = 5

const runtimeHCL = requiredProviders + `
data "officehours_zone" "zone" {
  name = "officehours.youcanjustdothings.io"
}

resource "officehours_worker_script" "api" {
  name               = "bench-runtime"
  main_module        = "${path.module}/index.js"
  compatibility_date = "2025-03-11"
}

resource "officehours_worker_route" "api" {
  zone_id     = data.officehours_zone.zone.id
  pattern     = "api-bench.officehours.youcanjustdothings.io/*"
  script_name = officehours_worker_script.api.name
}
`

func releaseModule(n int) string {
	return fmt.Sprintf("export default { fetch() { return new Response(%q) } };\n", fmt.Sprintf("release %d", n))
}

// runRuntime measures how soon the local stack serves what an apply
// deployed: a Worker with a route, applied with new code five times, each
// time polling the edge until the new release answers, from the moment
// terraform apply returned. The local API has its defaults (a new object
// takes a second to be seen by other endpoints), Miniflare the pinned one.
func runRuntime(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	sec := &bench.Section{Title: "Local runtime: a deploy, served"}
	sec.Para(fmt.Sprintf("A Worker script and its route, applied, then applied again with new code %d times, on a "+
		"fresh local API with its defaults and the local runtime (Miniflare %s) behind the edge. After each apply "+
		"returns, the edge is asked every 5 ms until the new release answers: that is the time to serve it, which "+
		"includes Miniflare's restart.", runtimeReleases, localruntime.MiniflareVersion))
	dir, err := initDir(ctx, s, "runtime", map[string]string{"main.tf": runtimeHCL, "index.js": releaseModule(0)})
	if err != nil {
		return sec, err
	}
	api, err := s.NewAPI()
	if err != nil {
		return sec, err
	}
	defer api.Close()
	rt, err := localruntime.Start(ctx, localruntime.Options{API: api.Server, Dir: dir + "/workers", BareHost: "api-bench." + localapi.DefaultZone})
	if err != nil {
		return sec, err
	}
	defer rt.Close()
	edge := httptest.NewServer(rt.Edge())
	defer edge.Close()
	env := s.Env(api, "")
	apply := []string{"apply", "-input=false", "-auto-approve", "-no-color"}
	var applies, served []time.Duration
	for n := 0; n <= runtimeReleases; n++ {
		if err := writeFile(dir, "index.js", releaseModule(n)); err != nil {
			return sec, err
		}
		r.logf("runtime: release %d", n)
		begin := time.Now()
		if _, err := s.Run(ctx, fmt.Sprintf("runtime-apply-%d", n), s.TF(dir, env, apply...)); err != nil {
			return sec, err
		}
		applied := time.Now()
		took, err := untilServed(ctx, edge.URL, fmt.Sprintf("release %d", n))
		if err != nil {
			return sec, err
		}
		if n > 0 { // the first apply also creates the route; the others only deploy
			applies, served = append(applies, applied.Sub(begin)), append(served, took)
		}
	}
	var t bench.Table
	t.Header = []string{"", "median", "min", "max"}
	for _, row := range []struct {
		name string
		s    bench.Summary
	}{{"terraform apply of new code", bench.SummarizeDurations(applies)}, {"served after the apply returned", bench.SummarizeDurations(served)}} {
		t.Add(row.name, bench.FormatSeconds(row.s.Median), bench.FormatSeconds(row.s.Min), bench.FormatSeconds(row.s.Max))
	}
	sec.Table("", t)
	sec.List("Targets:", bench.TargetLines([]bench.Target{{
		Name:     "each release is served within a second of the apply that deployed it (issue 16)",
		Measured: bench.SummarizeDurations(served).Max, Limit: 1, Format: bench.FormatSeconds,
	}}))
	return sec, nil
}

// untilServed asks the edge until body answers, for at most 10 s.
func untilServed(ctx context.Context, edge, body string) (time.Duration, error) {
	begin := time.Now()
	for time.Since(begin) < 10*time.Second {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, edge+"/", nil)
		req.Host = "api-bench." + localapi.DefaultZone
		if res, err := http.DefaultClient.Do(req); err == nil {
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.TrimSpace(string(got)) == body {
				return time.Since(begin), nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, fmt.Errorf("the edge did not serve %q within 10 s", body)
}
