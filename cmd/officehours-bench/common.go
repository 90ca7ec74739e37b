package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

const requiredProviders = `terraform {
  required_providers {
    officehours = {
      source = "youcanjustdothings/officehours"
    }
  }
}
`

func writeFile(dir, name, content string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
}

// removeState deletes a working directory's local state, so that the next
// apply starts from nothing against a fresh API and database.
func removeState(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "terraform.tfstate*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

// series is one step measured in every repetition.
type series struct {
	name  string
	steps []bench.Step
}

type seriesList struct {
	order []string
	by    map[string]*series
}

func (l *seriesList) add(st bench.Step) {
	if l.by == nil {
		l.by = map[string]*series{}
	}
	s, ok := l.by[st.Name]
	if !ok {
		s = &series{name: st.Name}
		l.by[st.Name] = s
		l.order = append(l.order, st.Name)
	}
	s.steps = append(s.steps, st)
}

func (l *seriesList) get(name string) *series {
	if l.by == nil {
		return nil
	}
	return l.by[name]
}

func (l *seriesList) all() []*series {
	out := make([]*series, 0, len(l.order))
	for _, n := range l.order {
		out = append(out, l.by[n])
	}
	return out
}

func (s *series) wall() bench.Summary {
	var xs []float64
	for _, st := range s.steps {
		xs = append(xs, st.Wall.Seconds())
	}
	return bench.Summarize(xs)
}

func (s *series) summary(f func(bench.Step) int64) bench.Summary {
	var xs []int64
	for _, st := range s.steps {
		xs = append(xs, f(st))
	}
	return bench.SummarizeInts(xs)
}

func (s *series) requests() bench.Summary {
	return s.summary(func(st bench.Step) int64 { return int64(bench.Total(st.Requests)) })
}

func (s *series) rss() bench.Summary {
	return s.summary(func(st bench.Step) int64 { return st.PeakRSS })
}

func (s *series) status(code int) bench.Summary {
	return s.summary(func(st bench.Step) int64 { return int64(st.Statuses[code]) })
}

func (s *series) first() bench.Step { return s.steps[0] }

func (s *series) hasRequests() bool { return s.steps[0].Requests != nil }

// stepTable is the standard table: one row per step.
func stepTable(list []*series, withRequests, withDB bool) bench.Table {
	t := bench.Table{Header: []string{"step", "wall (median, min–max)"}, Right: []int{}}
	if withRequests {
		t.Header = append(t.Header, "CF requests", "by method")
		t.Right = append(t.Right, 2)
	}
	if withDB {
		n := len(t.Header)
		t.Header = append(t.Header, "DB statements", "DB xacts", "DB sessions")
		t.Right = append(t.Right, n, n+1, n+2)
	}
	t.Header = append(t.Header, "provider peak RSS")
	t.Right = append(t.Right, len(t.Header)-1)
	for _, s := range list {
		row := []string{s.name, s.wall().Seconds()}
		if withRequests {
			if s.hasRequests() {
				row = append(row, s.requests().Count(), bench.FormatByMethod(s.first().Requests))
			} else {
				row = append(row, "–", "–")
			}
		}
		if withDB {
			if s.first().HasDB {
				stmts := "–"
				if s.first().DB.Statements >= 0 {
					stmts = s.summary(func(st bench.Step) int64 { return st.DB.Statements }).Count()
				}
				row = append(row, stmts,
					s.summary(func(st bench.Step) int64 { return st.DB.Xacts }).Count(),
					s.summary(func(st bench.Step) int64 { return st.DB.Sessions }).Count())
			} else {
				row = append(row, "–", "–", "–")
			}
		}
		row = append(row, s.rss().MiB())
		t.Add(row...)
	}
	return t
}

// routeTable is requests by route (rows) and step (columns), from the first
// repetition.
func routeTable(list []*series) bench.Table {
	var withReq []*series
	for _, s := range list {
		if s.hasRequests() {
			withReq = append(withReq, s)
		}
	}
	t := bench.Table{Header: []string{"request"}}
	keys := map[string]bool{}
	for i, s := range withReq {
		t.Header = append(t.Header, s.name)
		t.Right = append(t.Right, i+1)
		for _, rc := range bench.Routes(s.first().Requests) {
			keys[rc.Method+" "+rc.Route] = true
		}
	}
	var rows []string
	for k := range keys {
		rows = append(rows, k)
	}
	slices.SortFunc(rows, func(a, b string) int {
		_, ra, _ := strings.Cut(a, " ")
		_, rb, _ := strings.Cut(b, " ")
		if c := strings.Compare(ra, rb); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, k := range rows {
		row := []string{k}
		for _, s := range withReq {
			n := 0
			for _, rc := range bench.Routes(s.first().Requests) {
				if rc.Method+" "+rc.Route == k {
					n = rc.Count
				}
			}
			if n == 0 {
				row = append(row, "")
			} else {
				row = append(row, fmt.Sprint(n))
			}
		}
		t.Add(row...)
	}
	return t
}

func secondsFmt(x float64) string { return bench.FormatSeconds(x) }
func mibFmt(x float64) string     { return fmt.Sprintf("%.1f MiB", x) }
func countFmt(x float64) string   { return fmt.Sprintf("%.2f", x) }
func ratioFmt(x float64) string   { return bench.FormatRatio(x) }

// check fails on a step that did not exit 0 (a plan run with
// -detailed-exitcode exits 2 when it is not empty).
func check(st bench.Step, err error) (bench.Step, error) {
	if err != nil {
		return st, err
	}
	if st.ExitCode != 0 {
		return st, st.Failure()
	}
	return st, nil
}

// initDir writes files into a new working directory called name and runs
// terraform init there (never measured).
func initDir(ctx context.Context, s *bench.Stack, name string, files map[string]string) (string, error) {
	dir, err := s.Dir(name)
	if err != nil {
		return "", err
	}
	for file, content := range files {
		if err := writeFile(dir, file, content); err != nil {
			return "", err
		}
	}
	if _, err := s.Run(ctx, name+"-init", s.TF(dir, s.Env(nil, ""), "init", "-input=false", "-no-color")); err != nil {
		return "", err
	}
	return dir, nil
}

// allFiles is the worker stack's configuration with its other files.
func (ws workerStack) allFiles() map[string]string {
	out := map[string]string{"main.tf": ws.hcl}
	for name, content := range ws.files {
		out[name] = content
	}
	return out
}
