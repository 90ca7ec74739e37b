// Command officehours-plan-review writes the review of one or more
// environments' plans as one Markdown comment for a pull request: what
// changes, the changes that matter, the pending migrations with their SQL
// and squawk's findings, and the risks, ranked. Its exit code lets a
// pipeline stop on high risks unless the pull request carries an override
// label.
//
//	terraform -chdir=examples/environments/production show -json tfplan > examples/environments/production/plan.json
//	officehours-plan-review -plan production=examples/environments/production/plan.json -out review.md
//
// Each plan's directory is where Terraform ran: the migration files the
// plan names are read relative to it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/planreview"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/squawkcli"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitRisk    = 3
)

type planFlags []string

func (p *planFlags) String() string     { return strings.Join(*p, " ") }
func (p *planFlags) Set(v string) error { *p = append(*p, v); return nil }

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("officehours-plan-review", flag.ContinueOnError)
	var plans planFlags
	fs.Var(&plans, "plan", "`name=plan.json` of an environment (terraform show -json), repeated; the file's directory is where Terraform ran")
	out := fs.String("out", "", "write the comment to this file (default: standard output)")
	squawkBin := fs.String("squawk", "squawk", "the squawk binary (npm squawk-cli@"+squawkcli.Version+"), or off")
	failOn := fs.String("fail-on", "high", "exit 3 on a risk this severe or more: high, medium, low or never")
	labels := fs.String("labels", "", "the pull request's labels, comma-separated")
	override := fs.String("override-label", "plan-risk-accepted", "the label that accepts the risks")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	threshold, ok := map[string]planreview.Severity{"high": planreview.High, "medium": planreview.Medium, "low": planreview.Low, "never": planreview.High + 1}[*failOn]
	if !ok || len(plans) == 0 {
		fmt.Fprintln(os.Stderr, "officehours-plan-review: give at least one -plan name=plan.json, and -fail-on high, medium, low or never")
		return exitFailure
	}
	var inputs []planreview.Input
	for _, p := range plans {
		name, path, found := strings.Cut(p, "=")
		if !found || name == "" || path == "" {
			fmt.Fprintf(os.Stderr, "officehours-plan-review: -plan %q: write name=path, for example production=plan.json\n", p)
			return exitFailure
		}
		plan, err := readPlan(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "officehours-plan-review: environment %s: %v\n", name, err)
			return exitFailure
		}
		inputs = append(inputs, planreview.Input{Name: name, Plan: plan, Dir: filepath.Dir(path)})
	}
	var lint planreview.Linter
	if *squawkBin != "off" {
		version, err := squawkVersion(*squawkBin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "officehours-plan-review:", err)
			return exitFailure
		}
		lint = squawk{bin: *squawkBin, version: version}
	}
	report, err := planreview.Review(inputs, lint)
	if err != nil {
		fmt.Fprintln(os.Stderr, "officehours-plan-review:", err)
		return exitFailure
	}
	comment := report.Markdown(planreview.GitHubLimit - 1000)
	code := exitOK
	if report.Highest() >= threshold {
		if slices.Contains(strings.Split(*labels, ","), *override) {
			comment += fmt.Sprintf("\n**%s risks accepted** by the label `%s`.\n", report.Highest(), *override)
		} else {
			comment += fmt.Sprintf("\n**The pipeline stops on %s risks.** Review them; to accept them, add the label `%s` and run it again.\n", report.Highest(), *override)
			code = exitRisk
		}
	}
	if *out == "" {
		fmt.Print(comment)
	} else if err := os.WriteFile(*out, []byte(comment), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "officehours-plan-review:", err)
		return exitFailure
	}
	return code
}

func readPlan(path string) (*tfjson.Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, fmt.Errorf("%s is not `terraform show -json` of a plan: %w", path, err)
	}
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &plan, nil
}
