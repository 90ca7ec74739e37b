// Package pagesmanifest reads a built site as `wrangler pages deploy`
// reads it (wrangler src/pages/validate.ts and deploy-helpers hash.ts):
// which files are assets, the hash that names each, its content type, and
// the limits Pages sets.
package pagesmanifest

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"lukechampine.com/blake3"
)

// Pages' limits (wrangler src/pages/constants.ts): files up to 25 MiB, and
// 20,000 files unless the upload token's max_file_count_allowed says
// otherwise.
const (
	MaxFileSize      = 25 * 1024 * 1024
	DefaultMaxFiles  = 20000
	maxDisplayedSize = 1024 * 1024
)

// File is one asset.
type File struct {
	Path        string // on disk
	Hash        string
	ContentType string
	Size        int64
}

// Site is a directory read for a deployment.
type Site struct {
	// Files by their path in the site, "/index.html" (the manifest's keys).
	Files map[string]File
	// The configuration files Pages takes apart from the assets; nil when
	// absent. _routes.json is read only to be reported: wrangler uploads it
	// with Functions, which this package does not build.
	Headers, Redirects []byte
	// Functions: a _worker.js or a functions directory, which wrangler
	// builds into a Worker.
	Functions string
}

// Manifest maps each file's site path to its hash, as the deployment's
// manifest field carries it.
func (s *Site) Manifest() map[string]string {
	m := make(map[string]string, len(s.Files))
	for p, f := range s.Files {
		m[p] = f.Hash
	}
	return m
}

// Hash is the name Pages gives a file's content: BLAKE3 of the content in
// base64 followed by the file's extension, as 32 hex digits (deploy-helpers
// hash.ts hashFile).
func Hash(content []byte, name string) string {
	ext := strings.TrimPrefix(path.Ext(name), ".")
	sum := blake3.Sum256([]byte(base64.StdEncoding.EncodeToString(content) + ext))
	return hex.EncodeToString(sum[:])[:32]
}

// ignored reports whether wrangler leaves a path (relative, with slashes)
// out of the assets: its IGNORE_LIST of minimatch patterns, where a bare
// name matches at the top only and **/ at any depth.
func ignored(rel string) bool {
	switch rel {
	case "_worker.js", "_redirects", "_headers", "_routes.json", "functions", ".wrangler":
		return true
	}
	switch path.Base(rel) {
	case ".DS_Store", "node_modules", ".git":
		return true
	}
	return false
}

// Read reads dir. maxFiles is the upload token's limit (0: the default).
func Read(dir string, maxFiles int) (*Site, error) {
	if maxFiles <= 0 {
		maxFiles = DefaultMaxFiles
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("the directory %s does not exist; build the site first", dir)
	case err != nil:
		return nil, err
	case !info.IsDir():
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	site := &Site{Files: map[string]File{}}
	for _, special := range []struct {
		name string
		into *[]byte
	}{{"_headers", &site.Headers}, {"_redirects", &site.Redirects}} {
		data, err := os.ReadFile(filepath.Join(dir, special.name))
		if err == nil {
			*special.into = data
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	for _, name := range []string{"_worker.js", "functions"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			site.Functions = name
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 || d.IsDir() {
			return nil // wrangler skips symbolic links
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxFileSize {
			return fmt.Errorf("%s is %s; Pages serves files up to 25 MiB", rel, size(info.Size()))
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		site.Files["/"+rel] = File{Path: p, Hash: Hash(content, rel), ContentType: ContentType(rel), Size: info.Size()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(site.Files) == 0:
		return nil, fmt.Errorf("the directory %s holds no files to deploy; build the site first", dir)
	case len(site.Files) > maxFiles:
		return nil, fmt.Errorf("the directory %s holds %d files; Pages deploys at most %d", dir, len(site.Files), maxFiles)
	}
	return site, nil
}

func size(n int64) string {
	if n >= maxDisplayedSize {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Changes counts what a new manifest adds, changes and removes against an
// old one.
type Changes struct{ Added, Changed, Removed int }

// Compare compares two manifests.
func Compare(old, next map[string]string) Changes {
	var c Changes
	for p, h := range next {
		switch was, ok := old[p]; {
		case !ok:
			c.Added++
		case was != h:
			c.Changed++
		}
	}
	for p := range old {
		if _, ok := next[p]; !ok {
			c.Removed++
		}
	}
	return c
}

// Hashes lists the site's hashes, each once, sorted: files of the same
// content and extension share one.
func (s *Site) Hashes() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range s.Files {
		if !seen[f.Hash] {
			seen[f.Hash] = true
			out = append(out, f.Hash)
		}
	}
	sort.Strings(out)
	return out
}
