package planreview

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// envReview describes one environment's changes.
type envReview struct {
	in      Input
	report  *Report
	secrets map[string]*secretChanges // by script
	inUse   map[string]string         // hostname => what needs it
}

type secretChanges struct{ added, rotated, removed []string }

// object is one side of a change, with what the plan marks sensitive.
type object struct {
	values    map[string]any
	sensitive map[string]any
}

func side(v, sensitive any) object {
	o := object{}
	o.values, _ = v.(map[string]any)
	o.sensitive, _ = sensitive.(map[string]any)
	return o
}

// str is a string attribute; "(sensitive)" where the plan says so.
func (o object) str(key string) string {
	if s, _ := o.sensitive[key].(bool); s {
		return "(sensitive)"
	}
	switch v := o.values[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// keys are the keys of a map attribute, sorted.
func (o object) keys(key string) []string {
	m, _ := o.values[key].(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// list is a list or set of strings.
func (o object) list(key string) []string {
	l, _ := o.values[key].([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		out = append(out, fmt.Sprint(v))
	}
	sort.Strings(out)
	return out
}

func short(hash string) string {
	if len(hash) > 8 {
		return hash[:8] + "…"
	}
	return hash
}

func quoted(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func (e *envReview) line(area, format string, args ...any) {
	e.report.Changes = append(e.report.Changes, Change{Env: e.in.Name, Area: area, Line: fmt.Sprintf(format, args...)})
}

func (e *envReview) risk(sev Severity, rc *tfjson.ResourceChange, db bool, what, why string) {
	e.report.Risks = append(e.report.Risks, Risk{Severity: sev, Env: e.in.Name, Address: rc.Address, What: what, Why: why, Database: db})
}

// describe records the lines and risks of one resource change.
func (e *envReview) describe(rc *tfjson.ResourceChange, act string) {
	before := side(rc.Change.Before, rc.Change.BeforeSensitive)
	after := side(rc.Change.After, rc.Change.AfterSensitive)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	gone := act == actDelete || act == actReplace
	switch rc.Type {
	case "officehours_worker_script":
		e.workerScript(rc, act, before, after, unknown)
	case "officehours_worker_secret":
		script := after.str("script_name")
		if script == "" {
			script = before.str("script_name")
		}
		s := e.secrets[script]
		if s == nil {
			s = &secretChanges{}
			e.secrets[script] = s
		}
		switch {
		case act == actCreate:
			s.added = append(s.added, after.str("name"))
		case act == actDelete:
			s.removed = append(s.removed, before.str("name"))
		case before.str("value_wo_version") != after.str("value_wo_version") || act == actReplace:
			s.rotated = append(s.rotated, after.str("name"))
		}
	case "officehours_worker_route":
		switch act {
		case actCreate:
			e.line("API Worker", "Route `%s` → Worker `%s`", after.str("pattern"), after.str("script_name"))
		case actDelete:
			e.risk(Medium, rc, false, fmt.Sprintf("Route `%s` removed", before.str("pattern")),
				"requests to it no longer reach the Worker `"+before.str("script_name")+"`")
		default:
			if before.str("pattern") != after.str("pattern") || before.str("script_name") != after.str("script_name") {
				e.risk(Medium, rc, false, fmt.Sprintf("Route moved: `%s` → `%s` (Worker `%s`)", before.str("pattern"), after.str("pattern"), after.str("script_name")),
					"clients of the old pattern stop reaching the Worker")
			}
		}
	case "officehours_worker_deployment":
		e.workerDeployment(rc, act, before, after)
	case "officehours_kv_namespace":
		if gone {
			e.risk(High, rc, false, fmt.Sprintf("KV namespace `%s` %s", before.str("title"), act),
				"its keys are deleted with it and cannot be restored; the Worker's binding gets an empty namespace")
		} else if act == actCreate {
			e.line("API Worker", "KV namespace `%s` created", after.str("title"))
		}
	case "officehours_pages_project":
		if gone {
			e.risk(High, rc, false, fmt.Sprintf("Pages project `%s` %s", before.str("name"), act),
				"the web app, its deployments and its domains go with it; the *.pages.dev name may not come back")
		} else if act == actCreate {
			e.line("web app", "Pages project `%s` created", after.str("name"))
		}
	case "officehours_pages_domain":
		if gone {
			e.risk(Medium, rc, false, fmt.Sprintf("Domain `%s` removed from Pages project `%s`", before.str("name"), before.str("project_name")),
				"the web app stops answering on it")
		} else if act == actCreate {
			e.line("web app", "Domain `%s` added to Pages project `%s`", after.str("name"), after.str("project_name"))
		}
	case "officehours_pages_deployment":
		e.pagesDeployment(act, after)
	case "officehours_dns_record":
		e.dnsRecord(rc, act, before, after)
	case "officehours_database_migrations":
		e.migrations(after)
	case "officehours_rls_policy":
		e.policy(rc, act, before, after)
	case "officehours_table_rls":
		e.tableRLS(rc, act, before, after)
	case "officehours_table_grant":
		e.grant(rc, act, before, after)
	case "officehours_storage_bucket":
		switch {
		case gone:
			why := "Storage refuses to delete a bucket that holds objects"
			if before.str("force_destroy") == "true" {
				why = "force_destroy is set: its objects are deleted with it and cannot be restored"
			}
			e.risk(High, rc, false, fmt.Sprintf("Storage bucket `%s` %s", before.str("name"), act), why)
		case act == actCreate:
			e.line("storage", "Storage bucket `%s` created (public: %s)", after.str("name"), after.str("public"))
		case before.str("public") == "false" && after.str("public") == "true":
			e.risk(Medium, rc, false, fmt.Sprintf("Storage bucket `%s` made public", after.str("name")), "anyone with an object's URL can read it")
		default:
			e.line("storage", "Storage bucket `%s` settings changed", after.str("name"))
		}
	}
}

func (e *envReview) workerScript(rc *tfjson.ResourceChange, act string, before, after object, unknown map[string]any) {
	name := after.str("name")
	if act == actDelete {
		name = before.str("name")
		e.risk(High, rc, false, fmt.Sprintf("Worker `%s` destroyed", name), "the API stops answering, and its Durable Objects and their data are deleted with it")
		return
	}
	if act == actCreate {
		e.line("API Worker", "Worker `%s` created", name)
		return
	}
	var parts []string
	switch {
	case unknown["content_sha256"] == true:
		parts = append(parts, "new code (hash known after the build)")
	case before.str("content_sha256") != after.str("content_sha256"):
		parts = append(parts, fmt.Sprintf("new code (content hash %s → %s)", short(before.str("content_sha256")), short(after.str("content_sha256"))))
	}
	if b, a := before.str("compatibility_date"), after.str("compatibility_date"); b != a {
		parts = append(parts, fmt.Sprintf("compatibility date %s → %s", b, a))
	}
	for _, attr := range []struct{ key, what string }{{"vars", "variables"}, {"json_vars", "JSON variables"}, {"kv_namespaces", "KV bindings"}, {"durable_object_bindings", "Durable Object bindings"}} {
		if fmt.Sprint(before.values[attr.key]) != fmt.Sprint(after.values[attr.key]) {
			parts = append(parts, fmt.Sprintf("%s changed: %s", attr.what, quoted(union(before.keys(attr.key), after.keys(attr.key)))))
		}
	}
	removed := minus(before.keys("durable_object_classes"), after.keys("durable_object_classes"))
	if added := minus(after.keys("durable_object_classes"), before.keys("durable_object_classes")); len(added) > 0 {
		parts = append(parts, "new Durable Object classes "+quoted(added))
	}
	if len(removed) > 0 {
		e.risk(High, rc, false, fmt.Sprintf("Worker `%s`: Durable Object classes %s deleted", name, quoted(removed)),
			"every object of these classes and all their stored data are deleted by the migration, for good")
	}
	if before.str("deploy") != after.str("deploy") && after.str("deploy") == "false" {
		parts = append(parts, "uploads versions without deploying them from now on")
	}
	if len(parts) > 0 {
		e.line("API Worker", "Worker `%s`: %s", name, strings.Join(parts, "; "))
	}
}

func union(a, b []string) []string {
	out := append(slices.Clone(a), minus(b, a)...)
	sort.Strings(out)
	return out
}

func (e *envReview) flushSecrets() {
	scripts := make([]string, 0, len(e.secrets))
	for s := range e.secrets {
		scripts = append(scripts, s)
	}
	sort.Strings(scripts)
	for _, script := range scripts {
		s := e.secrets[script]
		var parts []string
		for _, p := range []struct {
			names []string
			what  string
		}{{s.rotated, "rotated"}, {s.added, "added"}, {s.removed, "removed"}} {
			if len(p.names) > 0 {
				sort.Strings(p.names)
				noun := "secrets"
				if len(p.names) == 1 {
					noun = "secret"
				}
				parts = append(parts, fmt.Sprintf("%d %s %s: %s", len(p.names), noun, p.what, strings.Join(p.names, ", ")))
			}
		}
		if len(parts) > 0 {
			e.line("API Worker", "Worker `%s`: %s", script, strings.Join(parts, "; "))
		}
	}
}

// traffic is a deployment's versions as "v at p %".
func traffic(o object) string {
	l, _ := o.values["versions"].([]any)
	var parts []string
	for _, v := range l {
		m, _ := v.(map[string]any)
		id, _ := m["version_id"].(string)
		if id == "" {
			id = "the version uploaded now"
		} else {
			id = short(id)
		}
		parts = append(parts, fmt.Sprintf("%s at %v %%", id, m["percentage"]))
	}
	return strings.Join(parts, ", ")
}

func (e *envReview) workerDeployment(rc *tfjson.ResourceChange, act string, before, after object) {
	if act == actDelete {
		e.line("API Worker", "Worker `%s`: deployment no longer managed (the Worker keeps serving %s)", before.str("script_name"), traffic(before))
		return
	}
	msg := ""
	if m := after.str("message"); m != "" {
		msg = fmt.Sprintf(" (%q)", m)
	}
	line := fmt.Sprintf("Worker `%s`: deploy %s%s", after.str("script_name"), traffic(after), msg)
	if act == actUpdate && traffic(before) != traffic(after) {
		line = fmt.Sprintf("Worker `%s`: traffic %s → %s%s", after.str("script_name"), traffic(before), traffic(after), msg)
	}
	e.line("API Worker", "%s", line)
	if after.str("force") == "true" {
		e.risk(Medium, rc, false, fmt.Sprintf("Worker `%s` deployed with force", after.str("script_name")),
			"a forced deployment may serve versions with older secret values")
	}
}

func (e *envReview) pagesDeployment(act string, after object) {
	if act == actDelete {
		return
	}
	if id := after.str("rollback_to"); id != "" {
		e.line("web app", "Pages project `%s`: rolled back to deployment %s", after.str("project_name"), short(id))
		return
	}
	where := "production"
	if b := after.str("branch"); b != "" {
		where = "branch `" + b + "`"
	}
	e.line("web app", "Pages project `%s`: new %s deployment of %s files (%s added, %s changed, %s removed)",
		after.str("project_name"), where, after.str("file_count"), after.str("files_added"), after.str("files_changed"), after.str("files_removed"))
}

func (e *envReview) dnsRecord(rc *tfjson.ResourceChange, act string, before, after object) {
	switch act {
	case actCreate:
		e.line("DNS", "DNS record `%s` %s → `%s` created", after.str("name"), after.str("type"), after.str("content"))
	case actDelete, actReplace:
		sev, why := Medium, "what it points at stops answering on that name until the record exists again"
		if user, ok := e.inUse[before.str("name")]; ok && act == actDelete {
			sev, why = High, "it is in use by "+user+", which stops answering"
		}
		e.risk(sev, rc, false, fmt.Sprintf("DNS record `%s` %s %s", before.str("name"), before.str("type"), act), why)
	default:
		if before.str("content") != after.str("content") {
			e.risk(Medium, rc, false, fmt.Sprintf("DNS record `%s` %s moved: `%s` → `%s`", after.str("name"), after.str("type"), before.str("content"), after.str("content")),
				"traffic to that name goes elsewhere once resolvers pick it up")
		}
	}
}

func (e *envReview) migrations(after object) {
	l, _ := after.values["pending"].([]any)
	if len(l) == 0 {
		return
	}
	var names []string
	for _, p := range l {
		m, _ := p.(map[string]any)
		mig := Migration{Env: e.in.Name, Dir: after.str("directory"), WorkDir: e.in.Dir}
		mig.Version, _ = m["version"].(string)
		mig.Name, _ = m["name"].(string)
		mig.Hash, _ = m["hash"].(string)
		e.report.Migrations = append(e.report.Migrations, mig)
		names = append(names, mig.Version+"_"+mig.Name)
	}
	noun := "migrations"
	if len(l) == 1 {
		noun = "migration"
	}
	e.line("database", "%d pending %s: %s", len(l), noun, quoted(names))
}

func table(o object) string { return o.str("schema") + "." + o.str("table") }

// everyone reports whether a policy's roles take in the anonymous key.
func everyone(roles []string) bool {
	return len(roles) == 0 || slices.Contains(roles, "public") || slices.Contains(roles, "anon")
}

func (e *envReview) policy(rc *tfjson.ResourceChange, act string, before, after object) {
	switch act {
	case actDelete:
		if before.str("permissive") == "false" {
			e.risk(High, rc, true, fmt.Sprintf("Restrictive policy `%s` removed from `%s`", before.str("name"), table(before)),
				"it held every other policy back: rows it kept hidden become visible to whom the permissive policies allow")
		} else {
			e.risk(Medium, rc, true, fmt.Sprintf("Policy `%s` removed from `%s`", before.str("name"), table(before)),
				"rows it let "+strings.Join(before.list("roles"), ", ")+" reach are refused from now on; the app may break where it relied on them")
		}
		return
	case actCreate:
		e.line("database", "Policy `%s` on `%s` for %s (%s)", after.str("name"), table(after), strings.Join(after.list("roles"), ", "), after.str("command"))
	default:
		e.line("database", "Policy `%s` on `%s` changed", after.str("name"), table(after))
	}
	for _, key := range []string{"using", "with_check"} {
		if strings.EqualFold(strings.TrimSpace(after.str(key)), "true") && everyone(after.list("roles")) && after.str("permissive") != "false" {
			e.risk(High, rc, true, fmt.Sprintf("Policy `%s` lets everyone through on `%s` (%s true for %s)", after.str("name"), table(after), key, strings.Join(after.list("roles"), ", ")),
				"anyone with the anon key, which the web app ships to every browser, reaches every row for "+after.str("command"))
		}
	}
}

func (e *envReview) tableRLS(rc *tfjson.ResourceChange, act string, before, after object) {
	switch {
	case act == actCreate:
		e.line("database", "Row level security managed on `%s` (enabled: %s)", table(after), after.str("enabled"))
	case act == actDelete && before.str("disable_on_destroy") == "true",
		act == actUpdate && before.str("enabled") == "true" && after.str("enabled") == "false":
		t := table(before)
		e.risk(High, rc, true, fmt.Sprintf("Row level security disabled on `%s`", t),
			"every role granted the table reaches every row, whatever the policies say")
	}
}

func (e *envReview) grant(rc *tfjson.ResourceChange, act string, before, after object) {
	role := after.str("role")
	if act == actDelete {
		role = before.str("role")
	}
	added := minus(after.list("privileges"), before.list("privileges"))
	removed := minus(before.list("privileges"), after.list("privileges"))
	t := table(after)
	if act == actDelete {
		t = table(before)
	}
	if len(added) > 0 {
		sev, why := Low, "the policies still decide which rows"
		if role == "anon" {
			sev, why = High, "anyone with the anon key, which the web app ships to every browser, may now do this; only the policies stand between them and the rows"
		}
		e.risk(sev, rc, true, fmt.Sprintf("`%s` granted %s on `%s`", role, strings.Join(added, ", "), t), why)
	}
	if len(removed) > 0 {
		e.risk(Medium, rc, true, fmt.Sprintf("`%s` loses %s on `%s`", role, strings.Join(removed, ", "), t),
			"requests of that role that need it fail from now on")
	}
}
