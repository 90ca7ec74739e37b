package workers_test

import (
	"strings"
	"testing"
)

type namespace struct {
	ID        string `json:"id"`
	Script    string `json:"script"`
	Class     string `json:"class"`
	UseSQLite bool   `json:"use_sqlite"`
}

func (a *api) namespaces() map[string]namespace {
	a.t.Helper()
	var list []namespace
	a.ok("GET", a.acct+"/workers/durable_objects/namespaces", nil, &list)
	out := map[string]namespace{}
	for _, n := range list {
		out[n.Class] = n
	}
	return out
}

func TestMigrationsCreateRenameDeleteAndTags(t *testing.T) {
	a := start(t)
	bind := func(class string) []map[string]any {
		return []map[string]any{{"type": "durable_object_namespace", "name": "SLOT_GENERATOR", "class_name": class}}
	}
	const two = "export class SlotGenerator {}\nexport class Legacy {}\nexport default {}\n"

	// Inline form, as the Go SDK sends it; the binding works in the same upload.
	a.mustPut("api", worker(two, bind("SlotGenerator"), map[string]any{"migrations": map[string]any{
		"new_tag": "v1", "new_sqlite_classes": []string{"SlotGenerator"}, "new_classes": []string{"Legacy"},
	}}))
	ns := a.namespaces()
	if ns["SlotGenerator"].ID == "" || !ns["SlotGenerator"].UseSQLite || ns["Legacy"].UseSQLite {
		t.Fatalf("namespaces after create: %+v", ns)
	}
	if tag := a.service()["migration_tag"]; tag != "v1" {
		t.Fatalf("migration tag %v", tag)
	}

	// A stale old_tag is refused with the live tag in the message.
	status, env, raw := a.put("api", worker(two, nil, map[string]any{"migrations": map[string]any{
		"old_tag": "v0", "new_tag": "v2", "deleted_classes": []string{"Legacy"},
	}}))
	// 10079 comes with HTTP 412 (alchemy worker.ts checks status 412).
	if msg := checkFailure(t, status, env, raw, 412, 10079); !strings.Contains(msg, "current tag is v1") {
		t.Fatalf("message %q", msg)
	}
	// So is an upload without old_tag once the script has a tag.
	status, env, raw = a.put("api", worker(two, nil, map[string]any{"migrations": map[string]any{"new_tag": "v2"}}))
	checkFailure(t, status, env, raw, 412, 10079)

	// Steps form, as wrangler sends it: rename keeps the namespace (the
	// objects), delete drops one.
	const renamed = "export class Slots {}\nexport default {}\n"
	a.mustPut("api", worker(renamed, bind("Slots"), map[string]any{"migrations": map[string]any{
		"old_tag": "v1", "new_tag": "v2", "steps": []map[string]any{
			{"renamed_classes": []map[string]string{{"from": "SlotGenerator", "to": "Slots"}}},
			{"deleted_classes": []string{"Legacy"}},
		},
	}}))
	after := a.namespaces()
	if len(after) != 1 || after["Slots"].ID != ns["SlotGenerator"].ID {
		t.Fatalf("after rename and delete: %+v (before %+v)", after, ns)
	}
	if tag := a.service()["migration_tag"]; tag != "v2" {
		t.Fatalf("migration tag %v", tag)
	}

	// Conflicts.
	for name, m := range map[string]map[string]any{
		"create existing": {"old_tag": "v2", "new_tag": "v3", "new_sqlite_classes": []string{"Slots"}},
		"rename missing":  {"old_tag": "v2", "new_tag": "v3", "renamed_classes": []map[string]string{{"from": "Gone", "to": "Slots2"}}},
		"delete missing":  {"old_tag": "v2", "new_tag": "v3", "deleted_classes": []string{"Gone"}},
		"target twice":    {"old_tag": "v2", "new_tag": "v3", "steps": []map[string]any{{"new_classes": []string{"Slots2"}}, {"new_classes": []string{"Slots2"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			status, env, raw := a.put("api", worker(renamed+"export class Slots2 {}\n", bind("Slots"), map[string]any{"migrations": m}))
			checkFailure(t, status, env, raw, 400, 10074)
		})
	}

	// Deleting a class another script binds is refused.
	a.mustPut("client", worker("export default {}", []map[string]any{
		{"type": "durable_object_namespace", "name": "SLOTS", "class_name": "Slots", "script_name": "api"},
	}, nil))
	status, env, raw = a.put("api", worker("export default {}", nil, map[string]any{"migrations": map[string]any{
		"old_tag": "v2", "new_tag": "v3", "deleted_classes": []string{"Slots"},
	}}))
	if msg := checkFailure(t, status, env, raw, 400, 10074); !strings.Contains(msg, "client") {
		t.Fatalf("message %q should name the binding script", msg)
	}
}

// With no Durable Object classes the namespace list is [], not null.
func TestNoDurableObjectNamespacesIsAnEmptyList(t *testing.T) {
	a := start(t)
	_, env, raw, _ := a.do("GET", a.acct+"/workers/durable_objects/namespaces", "", nil)
	if string(env.Result) != "[]" {
		t.Fatalf("namespaces with none: %s", raw)
	}
}
