// Package planreview turns the plans of one or more environments
// (`terraform show -json`) into the review a pull request needs: what
// changes by area, the changes that matter in one line each, the pending
// migrations with their SQL and a linter's findings, and the risks, ranked,
// each with why it matters. It never prints a value the plan marks
// sensitive.
package planreview

import (
	"fmt"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Input is one environment's plan and the directory Terraform ran in
// (relative paths in the plan are relative to it).
type Input struct {
	Name string
	Plan *tfjson.Plan
	Dir  string
}

// Severity ranks a risk.
type Severity int

// Severities, least first.
const (
	Low Severity = iota + 1
	Medium
	High
)

func (s Severity) String() string {
	switch s {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return "none"
}

// Risk is something that could go wrong, and why it matters.
type Risk struct {
	Severity Severity
	Env      string
	Address  string
	What     string
	Why      string
	Database bool // a risk to the data, for which the rollback checklist applies
}

// Change is one change that matters, in a line a reviewer understands.
type Change struct {
	Env, Area, Line string
}

// Summary counts an environment's changes by area and action.
type Summary struct {
	Env    string
	Counts map[string]map[string]int // area => action => count
}

// Report is the review of all environments.
type Report struct {
	Summaries  []Summary
	Changes    []Change
	Migrations []Migration
	Risks      []Risk
	// Linter names the SQL linter and its rules, or why it did not run.
	Linter string
}

// Actions, as a reviewer reads them.
const (
	actCreate  = "created"
	actUpdate  = "changed"
	actReplace = "replaced"
	actDelete  = "destroyed"
)

var actionOrder = []string{actCreate, actUpdate, actReplace, actDelete}

// areas are the parts of the platform, by resource type.
var areas = map[string]string{
	"officehours_worker_script": "API Worker", "officehours_worker_secret": "API Worker",
	"officehours_worker_route": "API Worker", "officehours_worker_deployment": "API Worker",
	"officehours_kv_namespace":  "API Worker",
	"officehours_pages_project": "web app", "officehours_pages_domain": "web app", "officehours_pages_deployment": "web app",
	"officehours_dns_record":          "DNS",
	"officehours_database_migrations": "database", "officehours_rls_policy": "database",
	"officehours_table_rls": "database", "officehours_table_grant": "database",
	"officehours_storage_bucket": "storage",
}

var areaOrder = []string{"API Worker", "web app", "DNS", "database", "storage"}

func action(a tfjson.Actions) string {
	switch {
	case a.Replace():
		return actReplace
	case a.Create():
		return actCreate
	case a.Delete():
		return actDelete
	case a.Update():
		return actUpdate
	}
	return ""
}

// Review reviews the inputs; lint reads a migration file's findings (nil:
// no linter).
func Review(inputs []Input, lint Linter) (*Report, error) {
	r := &Report{}
	for _, in := range inputs {
		if in.Plan == nil {
			return nil, fmt.Errorf("environment %s: no plan", in.Name)
		}
		sum := Summary{Env: in.Name, Counts: map[string]map[string]int{}}
		e := &envReview{in: in, report: r, secrets: map[string]*secretChanges{}, inUse: inUse(in.Plan)}
		for _, rc := range in.Plan.ResourceChanges {
			if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil {
				continue
			}
			act, area := action(rc.Change.Actions), areas[rc.Type]
			if act == "" || area == "" {
				continue
			}
			if sum.Counts[area] == nil {
				sum.Counts[area] = map[string]int{}
			}
			sum.Counts[area][act]++
			e.describe(rc, act)
		}
		e.flushSecrets()
		r.Summaries = append(r.Summaries, sum)
	}
	if err := r.lintMigrations(lint); err != nil {
		return nil, err
	}
	sort.SliceStable(r.Risks, func(i, j int) bool { return r.Risks[i].Severity > r.Risks[j].Severity })
	return r, nil
}

// Highest is the most severe risk (0: none).
func (r *Report) Highest() Severity {
	if len(r.Risks) == 0 {
		return 0
	}
	return r.Risks[0].Severity
}

// total counts an environment's changes.
func (s Summary) total() int {
	n := 0
	for _, byAction := range s.Counts {
		for _, c := range byAction {
			n += c
		}
	}
	return n
}

// line is the summary in one line: "3 changed (API Worker 2, database 1), 1 destroyed (API Worker 1)".
func (s Summary) line() string {
	if s.total() == 0 {
		return "no changes"
	}
	var parts []string
	for _, act := range actionOrder {
		n, detail := 0, []string{}
		for _, area := range areaOrder {
			if c := s.Counts[area][act]; c > 0 {
				n += c
				detail = append(detail, fmt.Sprintf("%s %d", area, c))
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s (%s)", n, act, strings.Join(detail, ", ")))
		}
	}
	return strings.Join(parts, ", ")
}

// inUse names the hostnames something that stays needs: Pages domains and
// the hosts of Worker routes the plan keeps or creates (resource_changes
// lists every resource, unchanged ones as no-op), with what uses each.
func inUse(plan *tfjson.Plan) map[string]string {
	used := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.Delete() {
			continue
		}
		after := side(rc.Change.After, rc.Change.AfterSensitive)
		switch rc.Type {
		case "officehours_pages_domain":
			used[after.str("name")] = fmt.Sprintf("the Pages domain of project `%s`", after.str("project_name"))
		case "officehours_worker_route":
			host, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(after.str("pattern"), "*."), "*"), "/")
			used[host] = fmt.Sprintf("the route `%s` of Worker `%s`", after.str("pattern"), after.str("script_name"))
		}
	}
	return used
}
