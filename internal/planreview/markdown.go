package planreview

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Marker opens every comment, so that a pipeline finds the one to update
// instead of adding another.
const Marker = "<!-- officehours-plan-review -->"

// GitHubLimit is the most characters a GitHub comment may have.
const GitHubLimit = 65536

// budget writes items while they fit, counting what it leaves out.
type budget struct {
	b       strings.Builder
	limit   int
	omitted int
}

func (w *budget) add(s string) {
	if w.b.Len()+len(s) > w.limit {
		w.omitted++
		return
	}
	w.b.WriteString(s)
}

// Markdown renders the report in at most limit characters; what does not
// fit is counted and said to be left out.
func (r *Report) Markdown(limit int) string {
	// What is always written: the marker, the summary, the note on what was
	// left out and the checklist, within this reserve.
	const reserve = 2000
	w := &budget{limit: limit - reserve}
	w.add(Marker + "\n## Plan review\n\n")
	total := 0
	for _, s := range r.Summaries {
		total += s.total()
	}
	if total == 0 && len(r.Risks) == 0 {
		var envs []string
		for _, s := range r.Summaries {
			envs = append(envs, s.Env)
		}
		return w.b.String() + "No changes in " + strings.Join(envs, " and ") + ".\n"
	}
	w.add("| environment | changes |\n| --- | --- |\n")
	for _, s := range r.Summaries {
		w.add(fmt.Sprintf("| %s | %s |\n", s.Env, s.line()))
	}
	w.add("\n" + r.riskLine() + "\n")

	var omitted []string
	section := func(title string, items []string, noun string) {
		if len(items) == 0 {
			return
		}
		w.omitted = 0
		w.add("\n### " + title + "\n\n")
		for _, it := range items {
			w.add(it)
		}
		if w.omitted > 0 {
			omitted = append(omitted, fmt.Sprintf("%d %s", w.omitted, noun))
		}
	}
	var risks []string
	for i, k := range r.Risks {
		where := k.Env
		if k.Address != "" {
			where += " · `" + k.Address + "`"
		}
		risks = append(risks, fmt.Sprintf("%d. **%s** · %s: %s. %s.\n", i+1, k.Severity, where, k.What, capitalise(strings.TrimRight(k.Why, "."))))
	}
	section("Risks", risks, "risks")
	var changes []string
	env := ""
	for _, c := range r.Changes {
		if c.Env != env {
			if env != "" {
				changes = append(changes, "\n")
			}
			env = c.Env
			changes = append(changes, "**"+env+"**\n\n")
		}
		changes = append(changes, "- "+c.Line+"\n")
	}
	section("Changes", changes, "changes")
	var migrations []string
	for _, m := range r.Migrations {
		if m.File == "" {
			continue
		}
		var s strings.Builder
		fmt.Fprintf(&s, "**%s** · `%s_%s.sql` (sha256 %s)\n\n```sql\n%s\n```\n", m.Env, m.Version, m.Name, short(m.Hash), strings.TrimRight(m.SQL, "\n"))
		findings := slices.Clone(m.Findings)
		sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
		for _, f := range findings {
			fmt.Fprintf(&s, "- %s `%s` (line %d): %s\n", f.Severity, f.Rule, f.Line, f.Message)
		}
		migrations = append(migrations, s.String()+"\n")
	}
	section("Pending migrations", migrations, "migrations")

	out := w.b.String()
	if r.databaseRisk() {
		out += "\n### Before applying the database changes\n\n" +
			"- [ ] A backup of the database is confirmed (Supabase's daily backup, or `pg_dump` of the tables concerned).\n" +
			"- [ ] The rollback migration is written and has run against a copy (the local stack: `make dev`).\n" +
			"- [ ] The deployed API and web app work with the database before and after these changes.\n"
	}
	if len(omitted) > 0 {
		out += fmt.Sprintf("\n_Left out to stay within GitHub's comment limit: %s. The plan artifact has them all._\n", strings.Join(omitted, ", "))
	}
	if r.Linter != "" && len(r.Migrations) > 0 {
		out += "\n<sub>" + r.Linter + "</sub>\n"
	}
	return out
}

func (r *Report) riskLine() string {
	if len(r.Risks) == 0 {
		return "**No risks found.**"
	}
	counts := map[Severity]int{}
	for _, k := range r.Risks {
		counts[k.Severity]++
	}
	var parts []string
	for _, s := range []Severity{High, Medium, Low} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return "**Risks: " + strings.Join(parts, ", ") + ".**"
}

func (r *Report) databaseRisk() bool {
	for _, k := range r.Risks {
		if k.Database && k.Severity >= Medium {
			return true
		}
	}
	return false
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
