package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

func runFaults(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	ws := r.workerStack()
	n := r.opts.faultCopies
	sec := &bench.Section{Title: "Under injected 429s"}
	sec.Para(fmt.Sprintf("An apply of %d copies of the worker stack (%s; %d resources) to an empty local API, first "+
		"without faults, then with %.0f%% of requests answered `429` with `Retry-After: %d`. The apply must complete, "+
		"and a plan afterwards (faults off) must be empty: no resource lost or duplicated. Every 429 is one retry "+
		"by the provider's transport (it honours `Retry-After`).",
		n, ws.label, n*ws.perCopy, 100*r.opts.faultShare, r.opts.retryAfter))
	dir, err := initDir(ctx, s, "faults", ws.allFiles())
	if err != nil {
		return sec, err
	}
	copiesVar := fmt.Sprintf("-var=copies=%d", n)
	var list seriesList
	var namespaces []int
	for rep := 0; rep < r.opts.repeat; rep++ {
		for _, faulted := range []bool{false, true} {
			api, err := s.NewAPI()
			if err != nil {
				return sec, err
			}
			removeState(dir)
			env := s.Env(api, "")
			name := "apply, no faults"
			if faulted {
				name = fmt.Sprintf("apply, %.0f%% 429s", 100*r.opts.faultShare)
				api.Server.SetFaults(localapi.Faults{RateLimitShare: r.opts.faultShare, RetryAfter: r.opts.retryAfter, Seed: uint64(rep + 1)})
			}
			r.logf("faults repetition %d: %s", rep+1, name)
			st, err := check(s.Measure(ctx, name, bench.Probe{API: api, Memory: true},
				[]bench.Command{s.TF(dir, env, "apply", "-input=false", "-auto-approve", "-no-color", copiesVar)}))
			if err != nil {
				return sec, err
			}
			list.add(st)
			if faulted {
				api.Server.SetFaults(localapi.Faults{})
				if _, err := check(s.Measure(ctx, "plan after (faults off)", bench.Probe{API: api},
					[]bench.Command{s.TF(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode", copiesVar)})); err != nil {
					return sec, fmt.Errorf("the plan after the faulted apply is not empty: %w", err)
				}
				count, err := countKVNamespaces(ctx, api, s.Token)
				if err != nil {
					return sec, err
				}
				namespaces = append(namespaces, count)
			}
			api.Close()
		}
	}
	t := bench.Table{Header: []string{"step", "wall (median, min–max)", "CF requests", "429 answers = retries", "other non-2xx", "provider peak RSS"},
		Right: []int{2, 3, 4, 5}}
	for _, sr := range list.all() {
		other := sr.summary(func(st bench.Step) int64 {
			k := 0
			for code, c := range st.Statuses {
				if code >= 400 && code != 429 || code == 0 {
					k += c
				}
			}
			return int64(k)
		})
		t.Add(sr.name, sr.wall().Seconds(), sr.requests().Count(), sr.status(429).Count(), other.Count(), sr.rss().MiB())
	}
	sec.Table("", t)
	var statuses []string
	for _, sr := range list.all() {
		statuses = append(statuses, sr.name+": "+formatStatuses(sr.first().Statuses))
	}
	sec.List("Answers by HTTP status (first repetition; a 404 is the lookup before a create):", statuses)
	ok := true
	for _, c := range namespaces {
		ok = ok && c == 2*n
	}
	lines := []string{fmt.Sprintf("every faulted apply completed, and the plan after it was empty (%d of %d repetitions)", len(namespaces), r.opts.repeat)}
	if ok {
		lines = append(lines, fmt.Sprintf("KV namespaces in the API after each faulted apply: %d, as configured (no duplicates)", 2*n))
	} else {
		lines = append(lines, fmt.Sprintf("KV namespaces in the API after the faulted applies: %v, expected %d each: DUPLICATES OR LOSSES", namespaces, 2*n))
	}
	clean, faulty := list.get("apply, no faults"), list.all()[1]
	if clean != nil && clean.wall().Median > 0 {
		extra := faulty.wall().Median - clean.wall().Median
		lines = append(lines, fmt.Sprintf("the 429s cost %s more wall time (median), %s per retry; Terraform's parallelism (10) overlaps the waits",
			bench.FormatSeconds(extra), bench.FormatSeconds(extra/max(1, faulty.status(429).Median))))
	}
	sec.List("Result:", lines)
	if !ok {
		return sec, fmt.Errorf("the faulted apply left the wrong number of KV namespaces")
	}
	return sec, nil
}

func formatStatuses(m map[int]int) string {
	var codes []int
	for c := range m {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	for _, c := range codes {
		name := fmt.Sprint(c)
		if c == 0 {
			name = "dropped"
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", name, m[c]))
	}
	return strings.Join(parts, ", ")
}

// countKVNamespaces lists the account's KV namespaces through the API.
func countKVNamespaces(ctx context.Context, api *bench.API, token string) (int, error) {
	total := 0
	for page := 1; ; page++ {
		req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/accounts/%s/storage/kv/namespaces?per_page=100&page=%d", api.URL, api.Server.AccountID(), page), nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		var env struct {
			Result []json.RawMessage `json:"result"`
		}
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if len(env.Result) == 0 {
			return total, nil
		}
		total += len(env.Result)
	}
}
