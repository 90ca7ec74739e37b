package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

// supabaseCLIVersion is the Supabase CLI the compatibility tests use; it is
// installed from npm into ~/.cache/officehours/supabase-cli when missing.
const supabaseCLIVersion = "3.1.0"

// writeMigrations writes n small migration files, named as the Supabase
// CLI names them, into <dir>/supabase/migrations and returns their paths in
// order.
func writeMigrations(dir string, n int) ([]string, error) {
	mdir := filepath.Join(dir, "supabase", "migrations")
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for i := 1; i <= n; i++ {
		version := 20250101000000 + i
		var sql string
		if i%5 == 0 {
			// Every fifth file changes an earlier table.
			sql = fmt.Sprintf("-- bench migration %d: a column and a check on an earlier table\n"+
				"alter table public.bench_t%04d add column note text;\n"+
				"alter table public.bench_t%04d add constraint bench_t%04d_note check (length(note) < 500);\n", i, i-1, i-1, i-1)
		} else {
			sql = fmt.Sprintf("-- bench migration %d\n"+
				"create table public.bench_t%04d (\n"+
				"  id bigint generated always as identity primary key,\n"+
				"  owner_id uuid not null,\n"+
				"  created_at timestamptz not null default now()\n"+
				");\n"+
				"create index bench_t%04d_owner on public.bench_t%04d (owner_id);\n"+
				"comment on table public.bench_t%04d is 'bench migration %d';\n", i, i, i, i, i, i)
		}
		path := filepath.Join(mdir, fmt.Sprintf("%d_bench_%04d.sql", version, i))
		if err := os.WriteFile(path, []byte(sql), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// supabaseCLI finds the Supabase CLI, installing it from npm (the only
// place it is fetched from, pinned) into the project's cache when missing.
func supabaseCLI(ctx context.Context) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	prefix := filepath.Join(home, ".cache", "officehours", "supabase-cli")
	bin := filepath.Join(prefix, "node_modules", ".bin", "supabase")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", fmt.Errorf("npm is not installed")
	}
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", prefix, "supabase@"+supabaseCLIVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install supabase@%s: %w\n%s", supabaseCLIVersion, err, bench.Tail(string(out), 10))
	}
	return bin, nil
}

func runMigrations(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	n := r.opts.migrations
	sec := &bench.Section{Title: fmt.Sprintf("Migrations: %d files", n)}
	psql, err := exec.LookPath("psql")
	if err != nil {
		return sec, fmt.Errorf("psql is not on PATH")
	}
	root, err := s.Dir("migrations")
	if err != nil {
		return sec, err
	}
	paths, err := writeMigrations(root, n)
	if err != nil {
		return sec, err
	}
	// One psql session, one transaction per file: the least any tool can do.
	var script strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&script, "begin;\n\\i %s\ncommit;\n", p)
	}
	if err := writeFile(root, "all.psql", script.String()); err != nil {
		return sec, err
	}
	tfDir := filepath.Join(root, "terraform")
	if err := os.MkdirAll(tfDir, 0o755); err != nil {
		return sec, err
	}
	if err := writeFile(tfDir, "main.tf", migrationsHCL(filepath.Join(root, "supabase", "migrations"))); err != nil {
		return sec, err
	}
	if _, err := s.Run(ctx, "migrations-init", s.TF(tfDir, s.Env(nil, ""), "init", "-input=false", "-no-color")); err != nil {
		return sec, err
	}
	cli, cliErr := supabaseCLI(ctx)

	sec.Para(fmt.Sprintf("%d small migration files (a table with an index and a comment; every fifth file alters an "+
		"earlier table), each applied to a fresh database by:", n))
	sec.List("", []string{
		"`terraform apply` of one `officehours_database_migrations` resource, then `terraform plan` with all applied and none pending",
		"`psql` in one session, one transaction per file (`begin; \\i file; commit;`): the floor, no tool can do less",
		"`psql -1 -f file` once per file: one process and connection per file, as a shell loop does it",
		fmt.Sprintf("the Supabase CLI %s, `supabase migration up --remote=<url>`, the tool users run today", supabaseCLIVersion),
	})

	var list seriesList
	for rep := 0; rep < r.opts.repeat; rep++ {
		db, url, err := s.NewDatabase(ctx, "mig_tf")
		if err != nil {
			return sec, err
		}
		removeState(tfDir)
		env := s.Env(nil, url)
		r.logf("migrations repetition %d: terraform apply", rep+1)
		st, err := check(s.Measure(ctx, "terraform apply", bench.Probe{DBName: db, Memory: true},
			[]bench.Command{s.TF(tfDir, env, "apply", "-input=false", "-auto-approve", "-no-color")}))
		if err != nil {
			return sec, err
		}
		list.add(st)
		r.logf("migrations repetition %d: terraform plan", rep+1)
		st, err = check(s.Measure(ctx, fmt.Sprintf("terraform plan, %d applied", n), bench.Probe{DBName: db, Memory: true},
			[]bench.Command{s.TF(tfDir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode")}))
		if err != nil {
			return sec, fmt.Errorf("the plan after apply must be empty: %w", err)
		}
		list.add(st)
		if err := s.PG.DropDatabase(ctx, db); err != nil {
			return sec, err
		}

		db, url, err = s.NewDatabase(ctx, "mig_psql1")
		if err != nil {
			return sec, err
		}
		r.logf("migrations repetition %d: psql, one session", rep+1)
		st, err = check(s.Measure(ctx, "psql, one session (floor)", bench.Probe{DBName: db},
			[]bench.Command{{Dir: root, Env: s.Env(nil, ""), Args: []string{psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "all.psql", url}}}))
		if err != nil {
			return sec, err
		}
		list.add(st)
		if err := s.PG.DropDatabase(ctx, db); err != nil {
			return sec, err
		}

		db, url, err = s.NewDatabase(ctx, "mig_psqln")
		if err != nil {
			return sec, err
		}
		var cmds []bench.Command
		for _, p := range paths {
			cmds = append(cmds, bench.Command{Dir: root, Env: s.Env(nil, ""), Args: []string{psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", p, url}})
		}
		r.logf("migrations repetition %d: psql per file", rep+1)
		st, err = check(s.Measure(ctx, "psql -1 -f, once per file", bench.Probe{DBName: db}, cmds))
		if err != nil {
			return sec, err
		}
		list.add(st)
		if err := s.PG.DropDatabase(ctx, db); err != nil {
			return sec, err
		}

		if cliErr == nil {
			db, url, err := s.NewDatabase(ctx, "mig_cli")
			if err != nil {
				return sec, err
			}
			r.logf("migrations repetition %d: supabase migration up", rep+1)
			st, err := check(s.Measure(ctx, "supabase migration up", bench.Probe{DBName: db},
				[]bench.Command{{Dir: root, Env: s.Env(nil, ""), Args: []string{cli, "migration", "up", "--remote=" + url, "--workdir", root, "--yes"}}}))
			if err != nil {
				return sec, err
			}
			list.add(st)
			if err := s.PG.DropDatabase(ctx, db); err != nil {
				return sec, err
			}
		}
	}
	if cliErr != nil {
		sec.Para("The Supabase CLI was not measured: " + cliErr.Error())
	}

	floor := list.get("psql, one session (floor)").wall().Median
	perFile := list.get("psql -1 -f, once per file").wall().Median
	t := stepTable(list.all(), false, true)
	t.Header = append(t.Header, "÷ floor", "÷ psql per file")
	t.Right = append(t.Right, len(t.Header)-2, len(t.Header)-1)
	for i, sr := range list.all() {
		w := sr.wall().Median
		if strings.Contains(sr.name, "plan") {
			t.Rows[i] = append(t.Rows[i], "", "")
			continue
		}
		t.Rows[i] = append(t.Rows[i], bench.FormatRatio(w/floor), bench.FormatRatio(w/perFile))
	}
	sec.Table("", t)

	plan := list.get(fmt.Sprintf("terraform plan, %d applied", n))
	apply := list.get("terraform apply")
	targets := []bench.Target{
		{Name: fmt.Sprintf("plan of %d applied migrations under one second (median)", n),
			Measured: plan.wall().Median, Limit: 1, Strict: true, Format: secondsFmt},
		{Name: fmt.Sprintf("applying %d migrations within 1.5× the psql floor (one session, one transaction per file)", n),
			Measured: apply.wall().Median / floor, Limit: 1.5, Format: ratioFmt},
		{Name: fmt.Sprintf("applying %d migrations within 1.5× psql once per file", n),
			Measured: apply.wall().Median / perFile, Limit: 1.5, Format: ratioFmt},
	}
	sec.List("Targets:", bench.TargetLines(targets))
	return sec, nil
}

// migrationsHCL is one officehours_database_migrations resource reading dir.
func migrationsHCL(dir string) string {
	return requiredProviders + fmt.Sprintf(`
provider "officehours" {}

resource "officehours_database_migrations" "bench" {
  directory = %q
}
`, dir)
}
