// Package migration reads a Supabase migrations directory, plans what to
// apply against the Supabase CLI's history table
// (supabase_migrations.schema_migrations) and applies it under a session
// advisory lock, one transaction per file.
package migration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/sqlsplit"
)

// Directives that, as the first line of a file, run it outside a transaction.
// The first is the Supabase CLI's own (3.x), so a file behaves the same with
// `supabase db push`; the second is this provider's spelling of it.
const (
	DirectiveNoTransaction    = "-- officehours:no-transaction"
	DirectiveCLINoTransaction = "-- pg-delta: transaction=false"
)

// fileName is the CLI's migration file pattern: version, then name.
var fileName = regexp.MustCompile(`^([0-9]+)_(.*)\.sql$`)

// legacyInit is a pre-2021 `supabase init` file the CLI skips when first.
var legacyInit = regexp.MustCompile(`([0-9]{14})_init\.sql`)

// File is one migration file.
type File struct {
	Version  string
	Name     string
	Filename string // base name, e.g. 20240101120000_create_users.sql
	Hash     string // sha256 of the content, hex
	// Statements as the CLI splits (and stores) them.
	Statements []sqlsplit.Statement
	// NoTransaction is set by a directive on the first line.
	NoTransaction bool
	// Unterminated: the file ends inside a quote, dollar quote or comment.
	Unterminated bool
}

// Texts returns the statements as stored in the history table.
func (f File) Texts() []string { return sqlsplit.Texts(f.Statements) }

// ParseFile builds a File from a base name and content. The name must match
// <digits>_<name>.sql.
func ParseFile(filename string, content []byte) (File, error) {
	m := fileName.FindStringSubmatch(filename)
	if m == nil {
		return File{}, fmt.Errorf("%s: not a migration file name (expected <digits>_<name>.sql)", filename)
	}
	if !utf8.Valid(content) {
		return File{}, fmt.Errorf("%s: not valid UTF-8; save the file as UTF-8 (PostgreSQL and the Supabase CLI read it as UTF-8)", filename)
	}
	sum := sha256.Sum256(content)
	f := File{Version: m[1], Name: m[2], Filename: filename, Hash: hex.EncodeToString(sum[:])}
	text := string(content)
	if noTransactionDirective(text) {
		f.NoTransaction = true
		// The CLI splits a directive file without its byte order mark.
		text = strings.TrimPrefix(text, "\uFEFF")
	}
	res := sqlsplit.Split(text)
	f.Statements, f.Unterminated = res.Statements, res.Unterminated
	return f, nil
}

// noTransactionDirective reports whether the first line is a directive. The
// CLI's line must match exactly (it compares so); ours tolerates spacing.
func noTransactionDirective(text string) bool {
	text = strings.TrimPrefix(text, "\uFEFF")
	line, _, _ := strings.Cut(text, "\n")
	line = strings.TrimSuffix(line, "\r")
	return line == DirectiveCLINoTransaction || strings.TrimSpace(line) == DirectiveNoTransaction
}

// BadNamesError lists .sql files whose names are not <digits>_<name>.sql.
// The Supabase CLI skips them silently (pkg/migration/file.go), so the
// database would lack what they create; the provider refuses to plan until
// each is renamed or ignored on purpose.
type BadNamesError struct {
	Dir   string
	Files []string
}

func (e *BadNamesError) Error() string {
	return fmt.Sprintf("%s: %s: a migration file name must be <digits>_<name>.sql (for example 20240101120000_create_users.sql), "+
		"and the Supabase CLI skips any other .sql file, so what it creates would never reach the database",
		e.Dir, strings.Join(e.Files, ", "))
}

// ReadDir reads the migration files of dir, sorted by version compared as
// strings (as the CLI does). Directories and files not ending in .sql are
// passed over; a .sql file whose name does not match is a *BadNamesError
// unless ignore names it. Notes say what else was skipped or not found.
func ReadDir(dir string, ignore []string) ([]File, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the migrations directory %s: %w", dir, err)
	}
	var files []File
	var notes, bad []string
	seen := map[string]bool{}
	for i, e := range entries { // os.ReadDir sorts by name, like the CLI
		name := e.Name()
		seen[name] = true
		if e.IsDir() || !strings.HasSuffix(name, ".sql") || slices.Contains(ignore, name) {
			continue
		}
		if i == 0 {
			if m := legacyInit.FindStringSubmatch(name); m != nil && m[1] < "20211209000000" {
				notes = append(notes, fmt.Sprintf("%s is skipped, as the Supabase CLI skips it: rename it (replace \"init\") to apply it", name))
				continue
			}
		}
		if !fileName.MatchString(name) {
			bad = append(bad, name)
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path) // follows symlinks
		if err != nil {
			return nil, nil, fmt.Errorf("reading migration %s: %w", path, err)
		}
		if info.IsDir() {
			continue
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("reading migration %s: %w", path, err)
		}
		f, err := ParseFile(name, content)
		if err != nil {
			return nil, nil, fmt.Errorf("reading migration: %w", err)
		}
		files = append(files, f)
	}
	if len(bad) > 0 {
		return nil, nil, &BadNamesError{Dir: dir, Files: bad}
	}
	for _, name := range ignore {
		if !seen[name] {
			notes = append(notes, fmt.Sprintf("ignore_files names %s, which is not in %s", name, dir))
		}
	}
	SortFiles(files)
	return files, notes, nil
}

// SortFiles orders files by version compared as strings, then file name.
func SortFiles(files []File) {
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].Version != files[j].Version {
			return files[i].Version < files[j].Version
		}
		return files[i].Filename < files[j].Filename
	})
}
