package pagesmanifest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The expected hashes were computed with blake3-wasm 2.1.5, the module
// wrangler 4.86 hashes with, the way deploy-helpers hash.ts calls it.
func TestHashIsWranglers(t *testing.T) {
	for _, c := range []struct{ content, name, want string }{
		{"<h1>Office hours</h1>\n", "index.html", "1cdb0835ab8869428dd5a857724085fb"},
		{"body{margin:0}", "assets/app.css", "c9bef520a538546b7487a8634c45a24e"},
		{"", "empty.txt", "f9bc91770fa5e997cbd47fba833629fc"},
	} {
		if got := Hash([]byte(c.content), c.name); got != c.want {
			t.Errorf("Hash(%q, %q) = %s, want %s", c.content, c.name, got, c.want)
		}
	}
	// The extension is part of the name: the same bytes as .txt are another asset.
	if Hash([]byte("x"), "a.css") == Hash([]byte("x"), "a.txt") {
		t.Error("the extension does not change the hash")
	}
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadTakesWhatWranglerTakes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"index.html": "<h1>hi</h1>", "assets/app.js": "x", "assets/_headers": "nested is an asset",
		"_headers": "/*\n  X-Frame-Options: DENY\n", "_redirects": "/old /new 301\n", "_routes.json": "{}",
		".DS_Store": "", "assets/.DS_Store": "", "node_modules/x/index.js": "", "sub/node_modules/y.js": "",
		".git/HEAD": "", ".wrangler/state": "", "functions/api.js": "",
	})
	if err := os.Symlink(filepath.Join(dir, "index.html"), filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	site, err := Read(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range site.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if got := strings.Join(paths, " "); got != "/assets/_headers /assets/app.js /index.html" {
		t.Errorf("assets: %s", got)
	}
	if string(site.Headers) != "/*\n  X-Frame-Options: DENY\n" || string(site.Redirects) != "/old /new 301\n" {
		t.Errorf("_headers %q, _redirects %q", site.Headers, site.Redirects)
	}
	if site.Functions != "functions" {
		t.Errorf("Functions = %q", site.Functions)
	}
	if f := site.Files["/assets/app.js"]; f.ContentType != "application/javascript" || f.Size != 1 {
		t.Errorf("app.js: %+v", f)
	}
}

func TestReadRefusesWhatPagesRefuses(t *testing.T) {
	empty := t.TempDir()
	write(t, empty, map[string]string{"_headers": "/*\n", "node_modules/x.js": ""})
	big := t.TempDir()
	if err := os.WriteFile(filepath.Join(big, "video.mp4"), make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	many := t.TempDir()
	write(t, many, map[string]string{"a.html": "a", "b.html": "b", "c.html": "c"})
	file := filepath.Join(many, "a.html")
	for name, c := range map[string]struct {
		dir      string
		maxFiles int
		want     string
	}{
		"missing":        {filepath.Join(empty, "dist"), 0, "does not exist; build the site first"},
		"a file":         {file, 0, "is not a directory"},
		"no assets":      {empty, 0, "holds no files to deploy"},
		"a file too big": {big, 0, "video.mp4 is 25.0 MiB; Pages serves files up to 25 MiB"},
		"too many files": {many, 2, "holds 3 files; Pages deploys at most 2"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(c.dir, c.maxFiles)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Read: %v, want %q", err, c.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	old := map[string]string{"/a": "1", "/b": "2", "/c": "3"}
	for name, c := range map[string]struct {
		next map[string]string
		want Changes
	}{
		"same":                  {map[string]string{"/a": "1", "/b": "2", "/c": "3"}, Changes{}},
		"one changed":           {map[string]string{"/a": "1", "/b": "9", "/c": "3"}, Changes{Changed: 1}},
		"added and removed":     {map[string]string{"/a": "1", "/b": "2", "/d": "4"}, Changes{Added: 1, Removed: 1}},
		"renamed, same content": {map[string]string{"/a": "1", "/b": "2", "/z": "3"}, Changes{Added: 1, Removed: 1}},
		"two removed":           {map[string]string{"/a": "1"}, Changes{Removed: 2}},
	} {
		if got := Compare(old, c.next); got != c.want {
			t.Errorf("%s: %+v, want %+v", name, got, c.want)
		}
	}
	if got := Compare(nil, old); got != (Changes{Added: 3}) {
		t.Errorf("first deployment: %+v", got)
	}
}
