package migration

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"20240102000000_bookings.sql": "create table bookings (id int);",
		"20240101000000_users.sql":    "create table users (id int);\ncreate index on users (id);",
		"9_short.sql":                 "select 9;",
		"README.md":                   "not sql",
		"seed.sql":                    "insert into users values (1);",
		"v1_bad_name.sql":             "select 1;",
		"20240103000000_dir.sql/":     "",
	})
	// A .sql file the Supabase CLI would skip is an error naming every such file.
	_, _, err := ReadDir(dir, nil)
	var bad *BadNamesError
	if !errors.As(err, &bad) || !reflect.DeepEqual(bad.Files, []string{"seed.sql", "v1_bad_name.sql"}) ||
		!strings.Contains(err.Error(), "<digits>_<name>.sql") {
		t.Fatalf("err = %v", err)
	}
	// Ignored on purpose, they are passed over; an ignored name that is not
	// there is a note.
	files, notes, err := ReadDir(dir, []string{"seed.sql", "v1_bad_name.sql", "gone.sql"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Version+"|"+f.Name+"|"+f.Filename)
	}
	// Versions compare as strings: "9" sorts after "2024...".
	want := []string{
		"20240101000000|users|20240101000000_users.sql",
		"20240102000000|bookings|20240102000000_bookings.sql",
		"9|short|9_short.sql",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("files = %q, want %q", got, want)
	}
	if len(files[0].Statements) != 2 || files[0].Statements[1].Line != 2 {
		t.Fatalf("statements of users: %+v", files[0].Statements)
	}
	if files[1].Hash != "5516dfd0cf0eef948003bf8a8461198819c6507745005d2b9fdc138004337ff6" { // sha256sum of the content
		t.Fatalf("hash = %q", files[1].Hash)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "gone.sql, which is not in") {
		t.Fatalf("notes = %q", notes)
	}
}

func TestReadDirMissing(t *testing.T) {
	_, _, err := ReadDir(filepath.Join(t.TempDir(), "nope"), nil)
	if err == nil || !strings.Contains(err.Error(), "reading the migrations directory") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadDirLegacyInitSkipped(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"20200101000000_init.sql": "select 1;",
		"20240101000000_init.sql": "select 2;",
	})
	files, warnings, err := ReadDir(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Version != "20240101000000" || len(warnings) != 1 {
		t.Fatalf("files %+v warnings %q", files, warnings)
	}
}

func TestParseFileHashAndUTF8(t *testing.T) {
	a, err := ParseFile("1_a.sql", []byte("select 1;"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash != "354b7196c9ba5fb4b21cf615bb6ec4cd5c07503c34229feef033fc081a8c03f4" {
		t.Fatalf("hash = %s, want sha256 of the content", a.Hash)
	}
	b, _ := ParseFile("1_a.sql", []byte("select 1; "))
	if a.Hash == b.Hash {
		t.Fatal("different content, same hash")
	}
	if _, err := ParseFile("1_a.sql", []byte("select '\xff';")); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("invalid UTF-8 accepted: %v", err)
	}
	if _, err := ParseFile("a.sql", nil); err == nil {
		t.Fatal("bad name accepted")
	}
}

func TestDirective(t *testing.T) {
	tests := []struct {
		content string
		noTx    bool
	}{
		{"-- pg-delta: transaction=false\ncreate index concurrently i on t (a);", true},
		{"\uFEFF-- pg-delta: transaction=false\r\nselect 1;", true},
		{"-- officehours:no-transaction\nselect 1;", true},
		{"  -- officehours:no-transaction  \nselect 1;", true},
		{"-- pg-delta: transaction=false \nselect 1;", false}, // the CLI matches exactly
		{"select 1;\n-- officehours:no-transaction\n", false},
		{"-- officehours:no-transactions\nselect 1;", false},
	}
	for _, tt := range tests {
		f, err := ParseFile("1_x.sql", []byte(tt.content))
		if err != nil {
			t.Fatal(err)
		}
		if f.NoTransaction != tt.noTx {
			t.Errorf("%q: NoTransaction = %v, want %v", tt.content, f.NoTransaction, tt.noTx)
		}
	}
	// The directive line is a comment and stays part of the first statement,
	// as the CLI stores it.
	f, _ := ParseFile("1_x.sql", []byte("\uFEFF-- pg-delta: transaction=false\nselect 1;"))
	if got := f.Texts(); !reflect.DeepEqual(got, []string{"-- pg-delta: transaction=false\nselect 1"}) {
		t.Fatalf("statements = %q", got)
	}
}

func TestIsTransactionControl(t *testing.T) {
	yes := []string{"COMMIT", "commit work", "-- done\nCOMMIT", "END", "end transaction", "BEGIN", "begin isolation level serializable",
		"START TRANSACTION", "ROLLBACK", "rollback work", "ABORT", "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'"}
	no := []string{"ROLLBACK TO SAVEPOINT a", "rollback work to a", "SAVEPOINT a", "RELEASE SAVEPOINT a", "select 1",
		"do $$ begin perform 1; end $$", "create function f() returns int begin atomic select 1; end", "ending()", "committed()"}
	for _, s := range yes {
		if !IsTransactionControl(s) {
			t.Errorf("IsTransactionControl(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsTransactionControl(s) {
			t.Errorf("IsTransactionControl(%q) = true", s)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		content string
		want    string // substring of the only problem; "" = none
	}{
		{"create table a (id int);\ncommit;\ncreate table b (id int);", "statement 2 (line 2) \"commit\" controls the transaction"},
		{"begin;\ncreate table a (id int);\nend;", "statement 1 (line 1) \"begin\" controls the transaction"},
		{"create table a (id int);\ncreate index concurrently a_id on a (id);", "statement 2 (line 2) \"create index concurrently a_id on a (id)\" cannot run inside a transaction"},
		{"vacuum analyze;", "cannot run inside a transaction"},
		{"-- pg-delta: transaction=false\ncreate index concurrently a_id on a (id);\ncommit;", ""},
		{"create table a (t text default 'open);", "never ends"},
		{"savepoint s; rollback to savepoint s;", ""},
		{"create index a_id on a (id);", ""},
	}
	for _, tt := range tests {
		f, err := ParseFile("20240101000000_x.sql", []byte(tt.content))
		if err != nil {
			t.Fatal(err)
		}
		got := f.Check()
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("%q: unexpected problems %q", tt.content, got)
		case tt.want != "" && (len(got) == 0 || !strings.Contains(got[0], tt.want)):
			t.Errorf("%q: problems %q, want one containing %q", tt.content, got, tt.want)
		case tt.want != "" && !strings.Contains(got[0], "20240101000000_x.sql"):
			t.Errorf("problem does not name the file: %q", got[0])
		}
	}
}
