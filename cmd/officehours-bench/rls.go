package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

const rlsTables = 20

func rlsHCL(policies int) string {
	return requiredProviders + fmt.Sprintf(`
provider "officehours" {}

locals {
  commands = ["SELECT", "INSERT", "UPDATE", "DELETE", "ALL"]
  policies = {
    for i in range(%d) : format("bench_policy_%%03d", i) => {
      table   = format("rls_bench_%%02d", i %% %d)
      command = local.commands[i %% 5]
      column  = i %% 2 == 0 ? "owner_id" : "mentor_id"
    }
  }
}

resource "officehours_rls_policy" "p" {
  for_each   = local.policies
  table      = each.value.table
  name       = each.key
  command    = each.value.command
  roles      = ["authenticated"]
  using      = each.value.command == "INSERT" ? null : "${each.value.column} = auth.uid() and status <> 'deleted'"
  with_check = contains(["INSERT", "UPDATE", "ALL"], each.value.command) ? "${each.value.column} = auth.uid()" : null
}
`, policies, rlsTables)
}

func createRLSTables(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var b strings.Builder
	for i := 0; i < rlsTables; i++ {
		fmt.Fprintf(&b, "create table public.rls_bench_%02d (id bigint generated always as identity primary key, "+
			"owner_id uuid not null, mentor_id uuid, status text not null default 'open');\n"+
			"alter table public.rls_bench_%02d enable row level security;\n", i, i)
	}
	_, err = conn.Exec(ctx, b.String())
	return err
}

func runRLS(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	n := r.opts.policies
	sec := &bench.Section{Title: fmt.Sprintf("RLS: %d policies", n)}
	sec.Para(fmt.Sprintf("%d `officehours_rls_policy` resources over %d tables (all five commands, `authenticated`, "+
		"expressions calling `auth.uid()`), applied to a fresh database, then planned again: every policy is read "+
		"and its configured expressions are normalised by the server.", n, rlsTables))
	dir, err := s.Dir("rls")
	if err != nil {
		return sec, err
	}
	if err := writeFile(dir, "main.tf", rlsHCL(n)); err != nil {
		return sec, err
	}
	if _, err := s.Run(ctx, "rls-init", s.TF(dir, s.Env(nil, ""), "init", "-input=false", "-no-color")); err != nil {
		return sec, err
	}
	var list seriesList
	for rep := 0; rep < r.opts.repeat; rep++ {
		db, url, err := s.NewDatabase(ctx, "rls")
		if err != nil {
			return sec, err
		}
		if err := createRLSTables(ctx, url); err != nil {
			return sec, err
		}
		removeState(dir)
		env := s.Env(nil, url)
		r.logf("rls repetition %d: apply", rep+1)
		st, err := check(s.Measure(ctx, fmt.Sprintf("apply %d policies", n), bench.Probe{DBName: db, Memory: true},
			[]bench.Command{s.TF(dir, env, "apply", "-input=false", "-auto-approve", "-no-color")}))
		if err != nil {
			return sec, err
		}
		list.add(st)
		r.logf("rls repetition %d: plan", rep+1)
		st, err = check(s.Measure(ctx, fmt.Sprintf("plan, %d applied", n), bench.Probe{DBName: db, Memory: true},
			[]bench.Command{s.TF(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode")}))
		if err != nil {
			return sec, fmt.Errorf("the plan after apply must be empty: %w", err)
		}
		list.add(st)
		_ = s.PG.DropDatabase(ctx, db)
	}
	sec.Table("", stepTable(list.all(), false, true, true))
	plan := list.get(fmt.Sprintf("plan, %d applied", n))
	targets := []bench.Target{{
		Name:     fmt.Sprintf("plan of %d policies under five seconds (median)", n),
		Measured: plan.wall().Median, Limit: 5, Strict: true, Format: secondsFmt,
	}}
	sec.List("Targets:", bench.TargetLines(targets))
	return sec, nil
}
