package planreview

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// change is one resource change as terraform show -json has it.
func change(typ, addr string, actions tfjson.Actions, before, after map[string]any) *tfjson.ResourceChange {
	c := &tfjson.Change{Actions: actions}
	if before != nil {
		c.Before = before
	}
	if after != nil {
		c.After = after
	}
	return &tfjson.ResourceChange{Address: addr, Type: typ, Mode: tfjson.ManagedResourceMode, Change: c}
}

var (
	update  = tfjson.Actions{tfjson.ActionUpdate}
	create  = tfjson.Actions{tfjson.ActionCreate}
	destroy = tfjson.Actions{tfjson.ActionDelete}
)

func review(t *testing.T, changes ...*tfjson.ResourceChange) *Report {
	t.Helper()
	r, err := Review([]Input{{Name: "production", Plan: &tfjson.Plan{ResourceChanges: changes}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRisksRankedWithWhy(t *testing.T) {
	r := review(t,
		change("officehours_dns_record", "dns", destroy, map[string]any{"name": "api.example.com", "type": "CNAME"}, nil),
		change("officehours_kv_namespace", "kv", destroy, map[string]any{"title": "api-CACHE"}, nil),
		change("officehours_table_grant", "grant", update,
			map[string]any{"schema": "public", "table": "users", "role": "anon", "privileges": []any{}},
			map[string]any{"schema": "public", "table": "users", "role": "anon", "privileges": []any{"SELECT"}}),
		change("officehours_rls_policy", "policy", create, nil,
			map[string]any{"schema": "public", "table": "bookings", "name": "open", "command": "SELECT", "permissive": true, "roles": []any{"public"}, "using": "true"}),
		change("officehours_table_rls", "rls", update,
			map[string]any{"schema": "public", "table": "users", "enabled": true}, map[string]any{"schema": "public", "table": "users", "enabled": false}),
		change("officehours_worker_script", "script", update,
			map[string]any{"name": "api", "durable_object_classes": map[string]any{"SlotGenerator": map[string]any{}}},
			map[string]any{"name": "api", "durable_object_classes": map[string]any{}}),
	)
	var got []string
	for _, k := range r.Risks {
		got = append(got, k.Severity.String()+" "+k.What)
	}
	want := []string{
		"high KV namespace `api-CACHE` destroyed",
		"high `anon` granted SELECT on `public.users`",
		"high Policy `open` lets everyone through on `public.bookings` (using true for public)",
		"high Row level security disabled on `public.users`",
		"high Worker `api`: Durable Object classes `SlotGenerator` deleted",
		"medium DNS record `api.example.com` CNAME destroyed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("risks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, k := range r.Risks {
		if k.Why == "" {
			t.Errorf("%s says not why it matters", k.What)
		}
	}
	if !strings.Contains(r.Markdown(GitHubLimit), "### Before applying the database changes") {
		t.Error("a risky database change comes without the rollback checklist")
	}
}

// Secrets are named, never shown, and a value the plan marks sensitive
// is never printed, whatever attribute holds it.
func TestNoSensitiveValue(t *testing.T) {
	secret := func(name string, version int) map[string]any {
		return map[string]any{"script_name": "api", "name": name, "value_wo_version": float64(version)}
	}
	rc := change("officehours_dns_record", "dns", update,
		map[string]any{"name": "txt.example.com", "type": "TXT", "content": "old-token"},
		map[string]any{"name": "txt.example.com", "type": "TXT", "content": "s3cr3t-verification-token"})
	rc.Change.BeforeSensitive = map[string]any{"content": true}
	rc.Change.AfterSensitive = map[string]any{"content": true}
	r := review(t,
		change("officehours_worker_secret", "a", update, secret("JWT_SECRET", 1), secret("JWT_SECRET", 2)),
		change("officehours_worker_secret", "b", update, secret("WEBHOOK_SECRET", 1), secret("WEBHOOK_SECRET", 2)),
		change("officehours_worker_secret", "c", create, nil, secret("STRIPE_KEY", 1)),
		rc)
	md := r.Markdown(GitHubLimit)
	if !strings.Contains(md, "Worker `api`: 2 secrets rotated: JWT_SECRET, WEBHOOK_SECRET; 1 secret added: STRIPE_KEY") {
		t.Errorf("secret line missing:\n%s", md)
	}
	if strings.Contains(md, "s3cr3t") || strings.Contains(md, "old-token") {
		t.Errorf("a sensitive value is in the comment:\n%s", md)
	}
}

func TestNoChangesInOneLine(t *testing.T) {
	r, err := Review([]Input{{Name: "staging", Plan: &tfjson.Plan{}}, {Name: "production", Plan: &tfjson.Plan{}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Markdown(GitHubLimit); got != Marker+"\n## Plan review\n\nNo changes in staging and production.\n" {
		t.Errorf("no-change comment:\n%q", got)
	}
}

// A plan too large for one comment stays under the limit and says what it
// left out.
func TestLargePlanStaysUnderTheLimit(t *testing.T) {
	var changes []*tfjson.ResourceChange
	for i := 0; i < 500; i++ {
		changes = append(changes, change("officehours_kv_namespace", fmt.Sprintf("officehours_kv_namespace.cache[%d]", i), destroy,
			map[string]any{"title": fmt.Sprintf("bench-api-%d-CACHE-%s", i, strings.Repeat("x", 100))}, nil))
	}
	md := review(t, changes...).Markdown(20000)
	if len(md) > 20000 {
		t.Fatalf("%d characters, over the limit of 20000", len(md))
	}
	if !strings.Contains(md, "| production | 500 destroyed (API Worker 500) |") || !strings.Contains(md, "risks. The plan artifact has them all.") {
		t.Errorf("summary or left-out note missing:\n%s", md[len(md)-600:])
	}
}

// A migration file that is not what the plan names is a finding.
func TestMigrationFileMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "20250301000200_notes.sql"), []byte("alter table public.bookings add column notes text;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mig := change("officehours_database_migrations", "migrations", update, map[string]any{"directory": "."},
		map[string]any{"directory": ".", "pending": []any{map[string]any{"version": "20250301000200", "name": "notes", "hash": "0000000000000000"}}})
	r, err := Review([]Input{{Name: "production", Plan: &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{mig}}, Dir: dir}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Risks) != 1 || !strings.Contains(r.Risks[0].What, "differs from what the plan will run") {
		t.Fatalf("risks: %+v", r.Risks)
	}
	if md := r.Markdown(GitHubLimit); !strings.Contains(md, "```sql\nalter table public.bookings add column notes text;\n```") {
		t.Errorf("the SQL is not in the comment:\n%s", md)
	}
}

// A DNS record that a Pages domain or a route still needs is a high risk
// to destroy; one nothing needs, medium.
func TestDNSRecordInUse(t *testing.T) {
	noop := tfjson.Actions{tfjson.ActionNoop}
	r := review(t,
		change("officehours_pages_domain", "domain", noop, nil, map[string]any{"name": "officehours.example.com", "project_name": "cf-office-hours"}),
		change("officehours_worker_route", "route", noop, nil, map[string]any{"pattern": "api.officehours.example.com/*", "script_name": "api"}),
		change("officehours_dns_record", "apex", destroy, map[string]any{"name": "officehours.example.com", "type": "CNAME"}, nil),
		change("officehours_dns_record", "api", destroy, map[string]any{"name": "api.officehours.example.com", "type": "A"}, nil),
		change("officehours_dns_record", "old", destroy, map[string]any{"name": "old.officehours.example.com", "type": "A"}, nil),
	)
	var got []string
	for _, k := range r.Risks {
		got = append(got, k.Severity.String()+" "+k.Address+": "+k.Why)
	}
	want := []string{
		"high apex: it is in use by the Pages domain of project `cf-office-hours`, which stops answering",
		"high api: it is in use by the route `api.officehours.example.com/*` of Worker `api`, which stops answering",
		"medium old: what it points at stops answering on that name until the record exists again",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("risks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
