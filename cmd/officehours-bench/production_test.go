package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResourceType(t *testing.T) {
	for addr, want := range map[string]struct {
		typ  string
		data bool
	}{
		"officehours_kv_namespace.cache":                                    {"officehours_kv_namespace", false},
		"module.env.module.api.officehours_worker_script.this":              {"officehours_worker_script", false},
		`module.db.officehours_rls_policy.p["users.select own"]`:            {"officehours_rls_policy", false},
		"data.officehours_zone.main":                                        {"officehours_zone", true},
		`module.api.data.officehours_zone.z["officehours.example"]`:         {"officehours_zone", true},
		`module.api.officehours_worker_secret.s["JWT_SECRET"]`:              {"officehours_worker_secret", false},
		`module.db.officehours_rls_policy.p["Users can view own bookings"]`: {"officehours_rls_policy", false},
		`module.e["a.b"].module.api.officehours_kv_namespace.k[0]`:          {"officehours_kv_namespace", false},
		`module.db.terraform_data.table["users"]`:                           {"terraform_data", false},
	} {
		typ, data := resourceType(addr)
		if typ != want.typ || data != want.data {
			t.Errorf("resourceType(%q) = %q, %v; want %q, %v", addr, typ, data, want.typ, want.data)
		}
	}
}

func TestDisableCloudBlock(t *testing.T) {
	dir := t.TempDir()
	tf := "terraform {\n  cloud {\n    organization = \"x\"\n    workspaces {\n      name = \"p\"\n    }\n  }\n  required_version = \">= 1.11\"\n}\n"
	path := filepath.Join(dir, "versions.tf")
	if err := os.WriteFile(path, []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := disableCloudBlock(dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := "terraform {\n#   cloud {\n#     organization = \"x\"\n#     workspaces {\n#       name = \"p\"\n#     }\n#   }\n  required_version = \">= 1.11\"\n}\n"
	if string(data) != want {
		t.Errorf("after disableCloudBlock:\n%s\nwant\n%s", data, want)
	}
}

func TestFindWorkerFile(t *testing.T) {
	root := t.TempDir()
	env := filepath.Join(root, "examples", "environments", "production")
	worker := filepath.Join(root, "examples", "environments", "app", "worker", "index.js")
	for _, d := range []string{env, filepath.Dir(worker)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(worker, []byte("export default {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(env, "main.tf"), []byte(`module "env" {
  worker_main_module = "${path.module}/../app/worker/index.js"
  other              = "${var.x}/y.js"
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := findWorkerFile(env, root)
	if err != nil {
		t.Fatal(err)
	}
	if got != worker {
		t.Errorf("findWorkerFile = %q, want %q", got, worker)
	}
}

func TestIsScriptRead(t *testing.T) {
	for _, c := range []struct {
		method, route string
		want          bool
	}{
		{"GET", "/workers/services/{script_name}", true},
		{"GET", "/workers/scripts/{script_name}", true},
		{"GET", "/workers/scripts/{script_name}/secrets/{secret_name}", false},
		{"PUT", "/workers/scripts/{script_name}", false},
		{"GET", "/storage/kv/namespaces/{namespace_id}", false},
	} {
		if got := isScriptRead(c.method, c.route); got != c.want {
			t.Errorf("isScriptRead(%s %s) = %v", c.method, c.route, got)
		}
	}
}
