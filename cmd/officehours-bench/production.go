package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

//go:embed production.auto.tfvars
var productionVars []byte

// databaseTypes are the resource types that live in the database and
// storageTypes those of the Storage API (whose requests the probe does not
// count); every other officehours_ type is a Cloudflare object.
var (
	databaseTypes = []string{"officehours_database_migrations", "officehours_rls_policy", "officehours_table_grant", "officehours_table_rls"}
	storageTypes  = []string{"officehours_storage_bucket"}
)

// liftedLimit is an override file that lifts the client-side limiter, for
// the plan the default is compared with (the token still comes from the
// environment).
const liftedLimit = `provider "officehours" {
  cloudflare = {
    requests_per_five_minutes = 1000000
  }
}
`

func runProduction(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	productionDir := r.opts.productionDir
	sec := &bench.Section{Title: "Production environment"}
	if _, err := os.Stat(filepath.Join(s.Repo, productionDir)); err != nil {
		sec.Para("skipped: " + productionDir + " not present")
		return sec, nil
	}
	// A copy of examples/ and modules/ keeps the configuration's relative
	// paths (modules, the sample app) and leaves the repository untouched.
	copyRoot, err := s.Dir("production")
	if err != nil {
		return sec, err
	}
	for _, d := range []string{"examples", "modules"} {
		if _, err := os.Stat(filepath.Join(s.Repo, d)); err == nil {
			if err := bench.CopyTree(filepath.Join(s.Repo, d), filepath.Join(copyRoot, d)); err != nil {
				return sec, err
			}
		}
	}
	dir := filepath.Join(copyRoot, productionDir)
	if err := disableCloudBlock(dir); err != nil {
		return sec, err
	}
	// The placeholders the workflow's TF_VAR_* credentials would be.
	if err := os.WriteFile(filepath.Join(dir, "officehours-bench.auto.tfvars"), productionVars, 0o644); err != nil {
		return sec, err
	}
	workerFile, err := findWorkerFile(dir, copyRoot)
	if err != nil {
		return sec, err
	}
	original, err := os.ReadFile(workerFile)
	if err != nil {
		return sec, err
	}
	relWorker, _ := filepath.Rel(copyRoot, workerFile)
	if _, err := s.Run(ctx, "production-init", s.TF(dir, s.Env(nil, ""), "init", "-input=false", "-no-color")); err != nil {
		return sec, err
	}

	var list seriesList
	var summaries []string
	var cfResources, dbResources, storageResources, dataSources, scripts, routes int
	var typesSeen []string
	for rep := 0; rep < r.opts.repeat; rep++ {
		api, err := s.NewAPI()
		if err != nil {
			return sec, err
		}
		db, url, err := s.NewDatabase(ctx, "production")
		if err != nil {
			return sec, err
		}
		if err := os.WriteFile(workerFile, original, 0o644); err != nil {
			return sec, err
		}
		removeState(dir)
		storage, err := s.NewStorage(ctx, db)
		if err != nil {
			return sec, err
		}
		env := s.Env(api, url, storage...)
		probe := bench.Probe{API: api, DBName: db, Memory: true}
		tf := func(args ...string) []bench.Command { return []bench.Command{s.TF(dir, env, args...)} }

		r.logf("production repetition %d: first apply", rep+1)
		st, err := check(s.Measure(ctx, "first apply", probe, tf("apply", "-input=false", "-auto-approve", "-no-color")))
		if err != nil {
			return sec, err
		}
		list.add(st)
		if rep == 0 {
			summaries = append(summaries, "first apply: "+bench.ApplySummary(st.Output))
			out, err := s.Run(ctx, "production-state-list", s.TF(dir, env, "state", "list"))
			if err != nil {
				return sec, err
			}
			// One address a line; instance keys may hold spaces.
			for _, addr := range strings.Split(strings.TrimSpace(out), "\n") {
				typ, data := resourceType(strings.TrimSpace(addr))
				switch {
				case !strings.HasPrefix(typ, "officehours_"): // terraform_data and the like
				case slices.Contains(databaseTypes, typ) && data:
				case data:
					dataSources++
				case slices.Contains(databaseTypes, typ):
					dbResources++
				case slices.Contains(storageTypes, typ):
					storageResources++
				default:
					cfResources++
				}
				switch {
				case data:
				case typ == "officehours_worker_script":
					scripts++
				case typ == "officehours_worker_route":
					routes++
				}
				if !slices.Contains(typesSeen, typ) {
					typesSeen = append(typesSeen, typ)
				}
			}
		}

		r.logf("production repetition %d: second plan", rep+1)
		st, err = check(s.Measure(ctx, "second plan (refresh)", probe, tf("plan", "-input=false", "-no-color", "-detailed-exitcode")))
		if err != nil {
			return sec, fmt.Errorf("the second plan must be empty: %w", err)
		}
		list.add(st)

		r.logf("production repetition %d: second plan, limiter lifted", rep+1)
		override := filepath.Join(dir, "officehours_bench_override.tf")
		if err := os.WriteFile(override, []byte(liftedLimit), 0o644); err != nil {
			return sec, err
		}
		st, err = check(s.Measure(ctx, "second plan, limiter lifted", probe, tf("plan", "-input=false", "-no-color", "-detailed-exitcode")))
		if rmErr := os.Remove(override); err == nil && rmErr != nil {
			err = rmErr
		}
		if err != nil {
			return sec, fmt.Errorf("the second plan with the limiter lifted must be empty: %w", err)
		}
		list.add(st)

		change := fmt.Sprintf("%s\n// officehours-bench: code change %d\n", strings.TrimRight(string(original), "\n"), rep+1)
		if err := os.WriteFile(workerFile, []byte(change), 0o644); err != nil {
			return sec, err
		}
		r.logf("production repetition %d: apply after a worker code change", rep+1)
		st, err = check(s.Measure(ctx, "apply, worker code changed", probe, tf("apply", "-input=false", "-auto-approve", "-no-color")))
		if err != nil {
			return sec, err
		}
		list.add(st)
		if rep == 0 {
			summaries = append(summaries, "apply after the code change: "+bench.ApplySummary(st.Output))
		}

		r.logf("production repetition %d: destroy", rep+1)
		st, err = check(s.Measure(ctx, "destroy", probe, tf("destroy", "-input=false", "-auto-approve", "-no-color")))
		if err != nil {
			return sec, err
		}
		list.add(st)
		if rep == 0 {
			summaries = append(summaries, "destroy: "+bench.ApplySummary(st.Output))
		}
		api.Close()
		if err := s.PG.DropDatabase(ctx, db); err != nil {
			return sec, err
		}
	}
	if err := os.WriteFile(workerFile, original, 0o644); err != nil {
		return sec, err
	}

	slices.Sort(typesSeen)
	sec.Para(fmt.Sprintf("`%s` with the modules it uses, against a fresh local API and database in each repetition: "+
		"%d Cloudflare resources, %d database resources, %s and %s (%s). The code change appends a comment "+
		"to `%s`. Its variables without defaults get the placeholders of `cmd/officehours-bench/production.auto.tfvars`.",
		productionDir, cfResources, dbResources, plural(storageResources, "Storage bucket"), plural(dataSources, "Cloudflare data source"), strings.Join(typesSeen, ", "), relWorker))
	sec.Table("", stepTable(list.all(), true, true))
	sec.List("Terraform's summaries (first repetition):", summaries)
	sec.Table("Requests by route (first repetition):", routeTable(list.all()))

	plan := list.get("second plan (refresh)")
	lifted := list.get("second plan, limiter lifted")
	apply := list.get("first apply")
	waits := unavoidableWaits(apply.first().Requests, scripts, routes)
	sec.List("What the first apply may send besides one write per Cloudflare resource (first repetition); any other "+
		"request counts against the target below:", waits.lines())
	targets := []bench.Target{}
	if cfResources > 0 {
		targets = append(targets, bench.Target{
			Name: fmt.Sprintf("a refresh of the environment costs at most 0.5 requests per Cloudflare object "+
				"(%s requests for %d Cloudflare resources and %s)",
				plan.requests().Count(), cfResources, plural(dataSources, "Cloudflare data source")),
			Measured: plan.requests().Median / float64(cfResources+dataSources), Limit: 0.5, Format: countFmt,
		}, bench.Target{
			Name: fmt.Sprintf("the first apply sends no more requests than one write per Cloudflare resource plus the "+
				"unavoidable reads and waits listed above (%d + %d)", cfResources, waits.total()),
			Measured: apply.requests().Median, Limit: float64(cfResources + waits.total()), Format: countFmt,
		})
	}
	targets = append(targets, bench.Target{
		Name:     "the second plan with the default limiter within 10% of the same plan with the limiter lifted (ratio of medians)",
		Measured: plan.wall().Median / lifted.wall().Median, Limit: 1.1, Format: ratioFmt,
	})
	if scripts > 0 {
		reads := bench.CountWhere(plan.first().Requests, isScriptRead)
		targets = append(targets, bench.Target{
			Name:     fmt.Sprintf("a refresh of a worker script costs at most one request (%d script reads for %d scripts)", reads, scripts),
			Measured: float64(reads) / float64(scripts), Limit: 1, Format: countFmt,
		})
	}
	worst, worstStep := 0.0, ""
	for _, sr := range list.all() {
		if m := sr.rss().Max; m > worst {
			worst, worstStep = m, sr.name
		}
	}
	targets = append(targets, bench.Target{
		Name:     fmt.Sprintf("provider peak memory under 100 MiB (largest over every step and repetition: %s)", worstStep),
		Measured: worst / (1 << 20), Limit: 100, Strict: true, Format: mibFmt,
	})
	sec.List("Targets:", bench.TargetLines(targets))
	return sec, nil
}

// resourceType parses a state address ("module.api.officehours_worker_script.this",
// `module.db.officehours_rls_policy.p["a.b"]`, "data.officehours_zone.main").
func resourceType(addr string) (typ string, data bool) {
	addr = instanceKeyRe.ReplaceAllString(addr, "")
	parts := strings.Split(addr, ".")
	for len(parts) >= 2 && parts[0] == "module" {
		parts = parts[2:]
	}
	if len(parts) >= 3 && parts[0] == "data" {
		return parts[1], true
	}
	if len(parts) >= 2 {
		return parts[0], false
	}
	return addr, false
}

var (
	// instanceKeyRe matches an instance key: ["a key"] or [0].
	instanceKeyRe = regexp.MustCompile(`\[("([^"\\]|\\.)*"|[0-9]+)\]`)
	cloudRe       = regexp.MustCompile(`(?m)^(\s*)cloud\s*\{`)
	jsPathRe      = regexp.MustCompile(`"([^"\n]*\.m?js)"`)
)

// blockBody returns the text of the block whose opening brace is at open,
// up to its closing brace (strings and comments are not special-cased; the
// configurations are terraform-fmt'ed HCL).
func blockBody(text string, open int) string {
	depth := 0
	for i := open; i < len(text); i++ {
		switch text[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return text[open+1 : i]
			}
		}
	}
	return text[open+1:]
}

// disableCloudBlock comments out an active `cloud {}` block in the copy,
// so that the environment keeps its state locally as it does without an
// organisation.
func disableCloudBlock(dir string) error {
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		text := string(data)
		m := cloudRe.FindStringIndex(text)
		if m == nil {
			continue
		}
		open := strings.IndexByte(text[m[0]:], '{') + m[0]
		body := blockBody(text, open)
		end := open + 1 + len(body) + 1
		var b strings.Builder
		for _, line := range strings.Split(text[m[0]:end], "\n") {
			b.WriteString("# " + line + "\n")
		}
		text = text[:m[0]] + strings.TrimSuffix(b.String(), "\n") + text[end:]
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// findWorkerFile finds the worker's main module the environment deploys:
// the first path ending in .js quoted in the environment's or its modules'
// .tf files that exists, resolved against the file's directory, the
// environment and the copy's root.
func findWorkerFile(envDir, root string) (string, error) {
	var tfFiles []string
	for _, pattern := range []string{filepath.Join(envDir, "*.tf"), filepath.Join(root, "modules", "*", "*.tf")} {
		m, _ := filepath.Glob(pattern)
		tfFiles = append(tfFiles, m...)
	}
	for _, f := range tfFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		for _, m := range jsPathRe.FindAllStringSubmatch(string(data), -1) {
			p := m[1]
			for _, prefix := range []string{"${path.module}/", "${path.root}/", "${path.cwd}/", "./"} {
				p = strings.TrimPrefix(p, prefix)
			}
			if strings.Contains(p, "${") {
				continue
			}
			for _, base := range []string{filepath.Dir(f), envDir, root} {
				cand := filepath.Join(base, p)
				if st, err := os.Stat(cand); err == nil && !st.IsDir() {
					return cand, nil
				}
			}
		}
	}
	// The sample app's worker, where the environments take it from.
	cand := filepath.Join(root, "examples", "environments", "app", "worker", "index.js")
	if _, err := os.Stat(cand); err == nil {
		return cand, nil
	}
	return "", fmt.Errorf("cannot find the worker's main module in %s", envDir)
}

// waits are the requests of an apply that change nothing but cannot be
// avoided, counted from the request log: uploads sent again after 10041 (a
// namespace created a moment before is not visible to Workers yet), route
// creates sent again after 10019 (the same for a Worker), the polls of a
// Pages domain until it is active, the reads a plan needs (the zone a data
// source names, the zone of plan-time checks), and one read of what is live
// before each upload (whether the name is free, the migration tag to
// migrate from: an upload overwrites whatever has the name).
type waits struct {
	uploadRetries, routeRetries, domainPolls, zoneReads, liveReads int
}

func unavoidableWaits(requests map[string]int, scripts, routes int) waits {
	count := func(method, route string) int {
		return bench.CountWhere(requests, func(m, r string) bool { return m == method && r == route })
	}
	return waits{
		uploadRetries: max(0, count("PUT", "/workers/scripts/{script_name}")-scripts),
		routeRetries:  max(0, count("POST", "/zones/{zone_id}/workers/routes")-routes),
		domainPolls:   count("GET", "/pages/projects/{project_name}/domains/{domain_name}"),
		zoneReads:     count("GET", "/zones") + count("GET", "/zones/{zone_id}"),
		liveReads:     min(count("GET", "/workers/services/{script_name}"), scripts),
	}
}

func (w waits) total() int {
	return w.uploadRetries + w.routeRetries + w.domainPolls + w.zoneReads + w.liveReads
}

func (w waits) lines() []string {
	return []string{
		fmt.Sprintf("uploads sent again after 10041 (a new KV namespace not yet visible to Workers): %d", w.uploadRetries),
		fmt.Sprintf("route creates sent again after 10019 (a new Worker not yet visible to routes): %d", w.routeRetries),
		fmt.Sprintf("polls of the Pages domain until Cloudflare reports it active: %d", w.domainPolls),
		fmt.Sprintf("zone reads for the data source and the plan-time checks, in the plan and again in the apply: %d", w.zoneReads),
		fmt.Sprintf("reads of a Worker's service before its upload (is the name free, the tag to migrate from): %d", w.liveReads),
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
