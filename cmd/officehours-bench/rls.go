package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

const rlsTables = 20

// rlsLocals spreads the policies over the tables, all five commands and
// two columns, as a map for for_each (the shape modules/database uses).
func rlsLocals(policies int) string {
	return fmt.Sprintf(`
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
`, policies, rlsTables)
}

const rlsPolicyArguments = `
  table      = each.value.table
  name       = each.key
  command    = each.value.command
  roles      = ["authenticated"]
  using      = each.value.command == "INSERT" ? null : "${each.value.column} = auth.uid() and status <> 'deleted'"
  with_check = contains(["INSERT", "UPDATE", "ALL"], each.value.command) ? "${each.value.column} = auth.uid()" : null
`

func rlsHCL(policies int) string {
	return requiredProviders + "\nprovider \"officehours\" {}\n" + rlsLocals(policies) + `
resource "officehours_rls_policy" "p" {
  for_each   = local.policies` + rlsPolicyArguments + "}\n"
}

// rlsFloorHCL is the same for_each of the same arguments on Terraform's
// built-in terraform_data: what Terraform itself spends on the
// configuration, with no plugin, no gRPC and no database.
func rlsFloorHCL(policies int) string {
	return rlsLocals(policies) + `
resource "terraform_data" "p" {
  for_each = local.policies
  input = {` + rlsPolicyArguments + "  }\n}\n"
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
		"and compared with the expressions remembered from the apply, so nothing is normalised.", n, rlsTables))
	dir, err := initDir(ctx, s, "rls", map[string]string{"main.tf": rlsHCL(n)})
	if err != nil {
		return sec, err
	}
	floorDir, err := initDir(ctx, s, "rls-floor", map[string]string{"main.tf": rlsFloorHCL(n)})
	if err != nil {
		return sec, err
	}
	if _, err := s.Run(ctx, "rls-floor-apply", s.TF(floorDir, s.Env(nil, ""), "apply", "-input=false", "-auto-approve", "-no-color")); err != nil {
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
		if err := s.PG.DropDatabase(ctx, db); err != nil {
			return sec, err
		}
		st, err = check(s.Measure(ctx, fmt.Sprintf("plan, %d terraform_data (Terraform alone)", n), bench.Probe{},
			[]bench.Command{s.TF(floorDir, s.Env(nil, ""), "plan", "-input=false", "-no-color", "-detailed-exitcode")}))
		if err != nil {
			return sec, fmt.Errorf("the plan of terraform_data after apply must be empty: %w", err)
		}
		list.add(st)
	}
	sec.Table("", stepTable(list.all(), false, true))
	plan := list.get(fmt.Sprintf("plan, %d applied", n))
	floor := list.get(fmt.Sprintf("plan, %d terraform_data (Terraform alone)", n))
	sec.Para(fmt.Sprintf("Terraform alone spends %s on the same `for_each` of the same arguments with its built-in "+
		"`terraform_data` (no plugin, no gRPC, no database); the provider's share of the plan is the rest, %s (medians).",
		bench.FormatSeconds(floor.wall().Median), bench.FormatSeconds(plan.wall().Median-floor.wall().Median)))
	targets := []bench.Target{{
		// Issue 12: 2.66 s was the median plan of 200 applied policies on this
		// machine before plans stopped normalising unchanged expressions.
		Name:     fmt.Sprintf("plan of %d applied, unchanged policies at least 3× faster than 2.66 s (median)", n),
		Measured: plan.wall().Median, Limit: 2.66 / 3, Format: secondsFmt,
	}, normalisationTarget(plan)}
	sec.List("Targets:", bench.TargetLines(targets))
	return sec, nil
}

// normalisationTarget is "no normalisation statement at all" over every
// repetition of the plan, from pg_stat_statements.
func normalisationTarget(plan *series) bench.Target {
	t := bench.Target{Name: "normalisation statements in a plan with no policy change (most in any repetition)"}
	if plan.first().DB.Normalisations < 0 {
		t.Missing = "pg_stat_statements could not be loaded"
		return t
	}
	t.Measured = plan.summary(func(st bench.Step) int64 { return st.DB.Normalisations }).Max
	return t
}
