package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/planreview"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/squawkcli"
)

// squawk lints the pending migrations with squawk (npm squawk-cli), a
// linter for PostgreSQL migrations, rather than rules written here.
type squawk struct{ bin, version string }

// squawkExcluded are the default rules left out, each for a reason:
//   - prefer-robust-stmts: a migration runs once, in a transaction, and is
//     recorded; IF [NOT] EXISTS would hide a history that is wrong;
//   - require-statement-timeout: hosted Supabase sets statement_timeout
//     for the role the migrations run as;
//   - prefer-bigint-over-int, prefer-bigint-over-smallint, prefer-identity,
//     prefer-text-field, prefer-timestamptz: style, not risk to a live
//     database.
var squawkExcluded = []string{"prefer-robust-stmts", "require-statement-timeout", "prefer-bigint-over-int",
	"prefer-bigint-over-smallint", "prefer-identity", "prefer-text-field", "prefer-timestamptz"}

// squawkSeverity ranks squawk's rules by what they do to a live database
// and its clients: data lost or clients broken is high, locks that block
// traffic are medium, the rest low.
var squawkSeverity = map[string]planreview.Severity{
	"ban-drop-column": planreview.High, "ban-drop-table": planreview.High, "ban-drop-database": planreview.High,
	"changing-column-type": planreview.High, "adding-required-field": planreview.High, "renaming-column": planreview.High,
	"renaming-table": planreview.High, "ban-truncate-cascade": planreview.High, "ban-drop-not-null": planreview.Medium,
	"require-concurrent-index-creation": planreview.Medium, "require-concurrent-index-deletion": planreview.Medium,
	"constraint-missing-not-valid": planreview.Medium, "adding-foreign-key-constraint": planreview.Medium,
	"disallowed-unique-constraint": planreview.Medium, "adding-serial-primary-key-field": planreview.Medium,
	"adding-field-with-default": planreview.Medium, "ban-concurrent-index-creation-in-transaction": planreview.Medium,
}

func (s squawk) About() string {
	return fmt.Sprintf("Migrations linted by squawk %s (PostgreSQL 15, each file in a transaction, as the provider runs it), "+
		"all default rules but %s.", s.version, strings.Join(squawkExcluded, ", "))
}

func (s squawk) Lint(paths []string) (map[string][]planreview.Finding, error) {
	args := append([]string{"--reporter", "json", "--pg-version", "15", "--assume-in-transaction", "--exclude", strings.Join(squawkExcluded, ",")}, paths...)
	out, err := exec.CommandContext(context.Background(), s.bin, args...).Output()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) { // 1: it found something
		return nil, fmt.Errorf("%s: %w", s.bin, err)
	}
	var found []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Message  string `json:"message"`
		Help     string `json:"help"`
		RuleName string `json:"rule_name"`
	}
	if err := json.Unmarshal(out, &found); err != nil {
		return nil, fmt.Errorf("reading squawk's answer: %w", err)
	}
	byFile := map[string][]planreview.Finding{}
	for _, f := range found {
		sev := squawkSeverity[f.RuleName]
		if sev == 0 {
			sev = planreview.Low
		}
		msg := f.Message
		if f.Help != "" {
			msg += " " + f.Help
		}
		byFile[f.File] = append(byFile[f.File], planreview.Finding{Rule: f.RuleName, Message: msg, Line: f.Line + 1, Severity: sev})
	}
	return byFile, nil
}

// squawkVersion asks the binary for its version ("squawk 2.66.0").
func squawkVersion(bin string) (string, error) {
	out, err := exec.CommandContext(context.Background(), bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("running %s --version: %w; install it with `npm install squawk-cli@%s`, or pass -squawk off", bin, err, squawkcli.Version)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "squawk "), nil
}
