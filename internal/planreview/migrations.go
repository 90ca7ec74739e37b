package planreview

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

// Migration is a migration the plan will run, with the SQL of its file.
type Migration struct {
	Env, Version, Name, Hash string
	Dir, WorkDir             string // the plan's directory and where it is relative to
	File, SQL                string // empty when the file is missing
	Findings                 []Finding
}

// Finding is what a linter says of a migration file.
type Finding struct {
	Rule     string
	Message  string
	Line     int
	Severity Severity
}

// Linter lints migration files: the findings by file path, and a line
// naming the linter and its rules for the comment.
type Linter interface {
	Lint(paths []string) (map[string][]Finding, error)
	About() string
}

// lintMigrations reads each pending migration's file (checking that it is
// the one the plan names) and lints them.
func (r *Report) lintMigrations(lint Linter) error {
	var paths []string
	type listing struct {
		files []migration.File
		err   error
	}
	dirs := map[string]listing{} // each directory read once, whatever its pending count
	for i := range r.Migrations {
		m := &r.Migrations[i]
		dir := m.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(m.WorkDir, dir)
		}
		l, ok := dirs[dir]
		if !ok {
			l.files, _, l.err = migration.ReadDir(dir, nil)
			dirs[dir] = l
		}
		files, err := l.files, l.err
		if err != nil {
			r.Risks = append(r.Risks, Risk{Severity: High, Env: m.Env, Database: true,
				What: fmt.Sprintf("Migration %s_%s cannot be read", m.Version, m.Name),
				Why:  fmt.Sprintf("reading %s failed (%v): the review cannot show what the plan will run", dir, err)})
			continue
		}
		for _, f := range files {
			if f.Version != m.Version {
				continue
			}
			m.File = filepath.Join(dir, f.Filename)
			content, err := os.ReadFile(m.File)
			if err != nil {
				return err
			}
			m.SQL = string(content)
			if f.Hash != m.Hash {
				r.Risks = append(r.Risks, Risk{Severity: High, Env: m.Env, Database: true,
					What: fmt.Sprintf("Migration `%s` differs from what the plan will run", f.Filename),
					Why: fmt.Sprintf("the plan names sha256 %s, the file in the repository is %s: the plan was made from other "+
						"files, and the apply refuses it; plan again from this commit", short(m.Hash), short(f.Hash))})
			}
			paths = append(paths, m.File)
		}
		if m.File == "" {
			r.Risks = append(r.Risks, Risk{Severity: High, Env: m.Env, Database: true,
				What: fmt.Sprintf("Migration %s_%s has no file in %s", m.Version, m.Name, m.Dir),
				Why:  "the review cannot show what the plan will run: the plan was made from another checkout"})
		}
	}
	if lint == nil {
		r.Linter = "No SQL linter ran."
		return nil
	}
	r.Linter = lint.About()
	if len(paths) == 0 {
		return nil
	}
	found, err := lint.Lint(paths)
	if err != nil {
		return fmt.Errorf("linting the pending migrations: %w", err)
	}
	for i := range r.Migrations {
		m := &r.Migrations[i]
		m.Findings = found[m.File]
		for _, f := range m.Findings {
			r.Risks = append(r.Risks, Risk{Severity: f.Severity, Env: m.Env, Database: true,
				What: fmt.Sprintf("`%s_%s.sql` line %d: %s", m.Version, m.Name, f.Line, f.Rule),
				Why:  f.Message})
		}
	}
	return nil
}
