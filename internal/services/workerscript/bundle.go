package workerscript

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// module is one part of a Worker upload.
type module struct {
	Name        string
	ContentType string
	Content     []byte
}

// readBundle reads the main module and the extra modules. Module names are
// paths relative to the main module's directory, as wrangler names them.
func readBundle(mainPath string, extra []string) ([]module, error) {
	dir := filepath.Dir(mainPath)
	paths := append([]string{mainPath}, extra...)
	seen := map[string]bool{}
	var modules []module
	for i, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			return nil, fmt.Errorf("module %s is not inside the main module's directory %s: modules are named by their path relative to it", p, dir)
		}
		name := filepath.ToSlash(rel)
		if seen[name] {
			return nil, fmt.Errorf("module %s is listed twice", name)
		}
		seen[name] = true
		content, err := os.ReadFile(p)
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("reading the main module: %w", err)
			}
			return nil, fmt.Errorf("reading module %s: %w", name, err)
		}
		modules = append(modules, module{Name: name, ContentType: contentType(name), Content: content})
	}
	return modules, nil
}

// contentType picks the part type from the file name, as wrangler's module
// rules do.
func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".js", ".mjs":
		return "application/javascript+module"
	case ".cjs":
		return "application/javascript"
	case ".map":
		return "application/source-map"
	case ".wasm":
		return "application/wasm"
	case ".txt", ".html", ".sql", ".md":
		return "text/plain"
	case ".py":
		return "text/x-python"
	}
	return "application/octet-stream"
}

// contentHash identifies a bundle by its module names and contents, main
// module first. Types are left out: they follow from the names locally, and
// the API may report them differently for the same code. The same hash can
// be computed from the API's content download, which makes import clean.
func contentHash(modules []module) string {
	h := sha256.New()
	var n [8]byte
	for _, m := range modules {
		binary.BigEndian.PutUint64(n[:], uint64(len(m.Name)))
		h.Write(n[:])
		h.Write([]byte(m.Name))
		binary.BigEndian.PutUint64(n[:], uint64(len(m.Content)))
		h.Write(n[:])
		h.Write(m.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}
