// Command officehours-bench is `make bench`: it builds the provider into a
// filesystem mirror of its own, starts the local Cloudflare API in-process
// and a PostgreSQL with the Supabase fixture, drives the real terraform
// binary (from PATH, never downloaded) through the scenarios of issue 8, and
// prints per step the wall time (median and range over repetitions), the
// Cloudflare API requests by method and route (the local API's request
// log), the database statements, transactions and sessions (the server's
// statistics), and the provider's peak resident memory (VmHWM, sampled),
// with the targets beside the figures.
//
//	officehours-bench [-repeat 3] [-quick] [-only production,scaling,...] [-md out.md] [-page templates/guides/benchmarks.md.tmpl]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

type options struct {
	repo          string
	productionDir string
	repeat        int
	quick         bool
	only          []string
	copies        []int
	migrations    int
	policies      int
	faultShare    float64
	faultCopies   int
	windowCopies  int
	retryAfter    int
	md            string
	page          string
	keep          bool
	fromHead      bool
	verbose       bool
}

type scenario struct {
	name string
	run  func(ctx context.Context, r *runner) (*bench.Section, error)
}

var scenarios = []scenario{
	{"production", runProduction},
	{"scaling", runScaling},
	{"migrations", runMigrations},
	{"rls", runRLS},
	{"faults", runFaults},
	{"pages", runPages},
	{"runtime", runRuntime},
	{"window", runWindow},
}

// runner carries what every scenario needs.
type runner struct {
	opts  options
	stack *bench.Stack
	logf  func(string, ...any)
}

func main() {
	var o options
	var only, copies string
	flag.StringVar(&o.repo, "repo", ".", "the provider's module root (built from its work tree)")
	flag.StringVar(&o.productionDir, "production-dir", "examples/environments/production", "the environment the production scenario measures, relative to -repo")
	flag.IntVar(&o.repeat, "repeat", 3, "repetitions of every timed step (median and range are printed)")
	flag.BoolVar(&o.quick, "quick", false, "a quick run: -repeat 1, copies 1,10, fewer faulted copies")
	flag.StringVar(&only, "only", "", "comma-separated scenarios to run: "+scenarioNames())
	flag.StringVar(&copies, "copies", "1,10,100", "copies of the worker stack in the scaling scenario")
	flag.IntVar(&o.migrations, "migrations", 1000, "migration files in the migrations scenario")
	flag.IntVar(&o.policies, "policies", 200, "policies in the rls scenario")
	flag.Float64Var(&o.faultShare, "fault-share", 0.2, "share of requests answered 429 in the faults scenario")
	flag.IntVar(&o.faultCopies, "fault-copies", 10, "copies of the worker stack applied in the faults scenario")
	flag.IntVar(&o.windowCopies, "window-copies", 200, "copies of the worker stack applied in the window scenario (0 skips it)")
	flag.IntVar(&o.retryAfter, "retry-after", 1, "Retry-After seconds of the injected 429s")
	flag.StringVar(&o.md, "md", "", "also write the figures as markdown to this file")
	flag.StringVar(&o.page, "page", "", "replace the figures between the bench:figures markers in this page template")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (working dirs, logs of every command)")
	flag.BoolVar(&o.fromHead, "from-head", false, "build the provider from the committed HEAD instead of the work tree")
	flag.BoolVar(&o.verbose, "v", false, "print progress of every step")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("officehours-bench: ")

	if o.quick {
		o.repeat = 1
		if copies == "1,10,100" {
			copies = "1,10"
		}
		o.faultCopies = min(o.faultCopies, 5)
		o.windowCopies = 0
	}
	if o.repeat < 1 {
		log.Fatal("-repeat must be at least 1")
	}
	for _, c := range strings.Split(copies, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			log.Fatalf("-copies: %q is not a positive number", c)
		}
		o.copies = append(o.copies, n)
	}
	if only != "" {
		for _, name := range strings.Split(only, ",") {
			name = strings.TrimSpace(name)
			if !slices.ContainsFunc(scenarios, func(s scenario) bool { return s.name == name }) {
				log.Fatalf("-only: no scenario %q (have %s)", name, scenarioNames())
			}
			o.only = append(o.only, name)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, o)
	stop()
	os.Exit(code)
}

func scenarioNames() string {
	var names []string
	for _, s := range scenarios {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

func run(ctx context.Context, o options) int {
	progress := io.Writer(os.Stderr)
	began := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(progress, "... %5.1fs "+format+"\n", append([]any{time.Since(began).Seconds()}, args...)...)
	}
	stack, err := bench.NewStack(ctx, bench.StackOptions{
		Repo: o.repo, FromHead: o.fromHead, Keep: o.keep, Database: true,
		Log: writerFunc(func(p []byte) (int, error) { logf("%s", strings.TrimSpace(string(p))); return len(p), nil }),
	})
	if err != nil {
		log.Print(err)
		return 1
	}
	defer stack.Close()
	r := &runner{opts: o, stack: stack, logf: logf}
	if !o.verbose {
		r.logf = func(string, ...any) {}
	}

	machine := bench.DescribeMachine(ctx, stack.Terraform, stack.Commit)
	fmt.Printf("officehours-bench: %d repetition(s) of each timed step\n", o.repeat)
	for _, line := range machine.Lines() {
		fmt.Println("  " + line)
	}
	if !stack.DB.Statements() {
		fmt.Println("  pg_stat_statements could not be loaded: database statements are not counted")
	}
	fmt.Println()

	var sections []*bench.Section
	failed := false
	for _, sc := range scenarios {
		if len(o.only) > 0 && !slices.Contains(o.only, sc.name) {
			continue
		}
		logf("scenario %s", sc.name)
		start := time.Now()
		sec, err := sc.run(ctx, r)
		if sec == nil {
			sec = &bench.Section{Title: sc.name}
		}
		if err != nil {
			failed = true
			sec.Para("FAILED: " + err.Error())
		}
		logf("scenario %s took %s", sc.name, bench.FormatSeconds(time.Since(start).Seconds()))
		fmt.Println(sec.Text())
		sections = append(sections, sec)
		if ctx.Err() != nil {
			break
		}
	}
	fmt.Printf("total time %s\n", bench.FormatSeconds(time.Since(began).Seconds()))

	if o.md != "" || o.page != "" {
		md := markdown(o, machine, stack, sections)
		if o.md != "" {
			if err := os.WriteFile(o.md, []byte(md), 0o644); err != nil {
				log.Print(err)
				failed = true
			} else {
				fmt.Printf("markdown written to %s\n", o.md)
			}
		}
		if o.page != "" {
			if err := updatePage(o.page, md); err != nil {
				log.Print(err)
				failed = true
			} else {
				fmt.Printf("figures replaced in %s (run `make generate` to render docs/)\n", o.page)
			}
		}
	}
	if failed {
		return 1
	}
	return 0
}

func markdown(o options, m bench.Machine, stack *bench.Stack, sections []*bench.Section) string {
	var b strings.Builder
	b.WriteString("Measured on this machine, noise in mind:\n\n")
	for _, line := range m.Lines() {
		b.WriteString("- " + line + "\n")
	}
	fmt.Fprintf(&b, "- %d repetition(s) of each timed step; times are the median with the range (min–max) in brackets\n", o.repeat)
	if !stack.DB.Statements() {
		b.WriteString("- pg_stat_statements could not be loaded: database statements were not counted\n")
	}
	for _, s := range sections {
		b.WriteString("\n" + s.Markdown())
	}
	return b.String()
}

func updatePage(path, md string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := bench.ReplaceBetween(string(data), bench.BeginMarker, bench.EndMarker, md)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, []byte(out), 0o644)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
