package sqlsplit

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []string
		lines []int // nil: not checked
	}{
		{
			name:  "two statements, trailing semicolon and newline dropped",
			in:    "create table a (id int);\ncreate table b (id int);\n",
			want:  []string{"create table a (id int)", "create table b (id int)"},
			lines: []int{1, 2},
		},
		{
			name: "semicolon in single quotes and doubled quote",
			in:   "insert into t values ('a;b', 'it''s;');select 1;",
			want: []string{"insert into t values ('a;b', 'it''s;')", "select 1"},
		},
		{
			name: "semicolon in quoted identifier",
			in:   `create table "we;ird" (id int); select 2`,
			want: []string{`create table "we;ird" (id int)`, "select 2"},
		},
		{
			name:  "dollar quoted body with nested tag",
			in:    "create function f() returns int language plpgsql as $fn$\nbegin\n  perform $$;$$;\n  return 1;\nend;\n$fn$;\nselect f();",
			want:  []string{"create function f() returns int language plpgsql as $fn$\nbegin\n  perform $$;$$;\n  return 1;\nend;\n$fn$", "select f()"},
			lines: []int{1, 7},
		},
		{
			name: "dollar inside identifier is not a quote",
			in:   "select a$b; select 1",
			want: []string{"select a$b", "select 1"},
		},
		{
			name:  "line comment with semicolon stays with the next statement",
			in:    "select 1; -- first; not a split\nselect 2;",
			want:  []string{"select 1", "-- first; not a split\nselect 2"},
			lines: []int{1, 1},
		},
		{
			name: "nested block comments",
			in:   "/* outer /* inner; */ still; */ select 1; select 2",
			want: []string{"/* outer /* inner; */ still; */ select 1", "select 2"},
		},
		{
			name: "E string with backslash escaped quote",
			in:   `select E'it\'s; fine'; select 'plain\'; select 3`,
			want: []string{`select E'it\'s; fine'`, `select 'plain\'`, "select 3"},
		},
		{
			name: "E string continued on the next line",
			in:   "select E'a;'\n  'b;'; select 2",
			want: []string{"select E'a;'\n  'b;'", "select 2"},
		},
		{
			name: "identifier ending in e is not an E string",
			in:   `select type'x\'; select 2`,
			want: []string{`select type'x\'`, "select 2"},
		},
		{
			name: "BEGIN ATOMIC body",
			in:   "create function add(a int, b int) returns int language sql\nbegin atomic\n  select a + b;\n  select 1;\nend;\nselect add(1, 2);",
			want: []string{"create function add(a int, b int) returns int language sql\nbegin atomic\n  select a + b;\n  select 1;\nend", "select add(1, 2)"},
		},
		{
			name: "CASE ... END inside BEGIN ATOMIC",
			in:   "create procedure p() begin atomic select case when true then 1 end; end; select 2;",
			want: []string{"create procedure p() begin atomic select case when true then 1 end; end", "select 2"},
		},
		{
			name: "semicolon inside parentheses",
			in:   "create rule r as on insert to t do also (select 1; select 2); select 3",
			want: []string{"create rule r as on insert to t do also (select 1; select 2)", "select 3"},
		},
		{
			// The CLI closes every parenthesis level at the first ')'; this
			// pins the quirk so stored statements keep matching the CLI.
			name: "first closing parenthesis closes all levels",
			in:   "select ((1);2)",
			want: []string{"select ((1)", "2)"},
		},
		{
			name: "backslash outside quotes skips the next character",
			in:   `select 1 \; select 2`,
			want: []string{`select 1 \; select 2`},
		},
		{
			name: "empty statements dropped",
			in:   ";;\n ; select 1;;",
			want: []string{"select 1"},
		},
		{
			name:  "trailing comment is kept as a statement, as the CLI stores it",
			in:    "select 1;\n-- the end\n",
			want:  []string{"select 1", "-- the end"},
			lines: []int{1, 2},
		},
		{
			name:  "CRLF line endings",
			in:    "select 1;\r\n\r\nselect\r\n 2;\r\n",
			want:  []string{"select 1", "select\r\n 2"},
			lines: []int{1, 3},
		},
		{
			name: "byte order mark is trimmed like JavaScript trim",
			in:   "\uFEFFselect 1;",
			want: []string{"select 1"},
		},
		{
			name: "only comments and space",
			in:   "\n  \n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Split(tt.in)
			if got := Texts(res.Statements); !reflect.DeepEqual(got, tt.want) && (len(got) != 0 || len(tt.want) != 0) {
				t.Fatalf("Split(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if tt.lines != nil {
				var lines []int
				for _, s := range res.Statements {
					lines = append(lines, s.Line)
				}
				if !reflect.DeepEqual(lines, tt.lines) {
					t.Fatalf("lines = %v, want %v", lines, tt.lines)
				}
			}
			for _, s := range res.Statements {
				if tt.in[s.Offset:s.Offset+len(s.Text)] != s.Text {
					t.Fatalf("offset %d does not locate %q", s.Offset, s.Text)
				}
			}
			if res.Unterminated {
				t.Fatalf("Split(%q) reported unterminated input", tt.in)
			}
		})
	}
}

func TestSplitFlags(t *testing.T) {
	tests := []struct {
		in           string
		unterminated bool
		atomic       bool
	}{
		{in: "select 'open", unterminated: true},
		{in: `select "open`, unterminated: true},
		{in: "select $x$ open", unterminated: true},
		{in: "select 1 /* open /* */", unterminated: true},
		{in: "select (1 /* open", unterminated: true},
		{in: "select 1 -- comment without newline"},
		{in: "select 'closed'"},
		{in: "create function f() returns int begin atomic select 1; end", atomic: true},
	}
	for _, tt := range tests {
		res := Split(tt.in)
		if res.Unterminated != tt.unterminated || res.BeginAtomic != tt.atomic {
			t.Errorf("Split(%q): unterminated=%v atomic=%v, want %v %v", tt.in, res.Unterminated, res.BeginAtomic, tt.unterminated, tt.atomic)
		}
	}
}

func TestLineOf(t *testing.T) {
	res := Split("select 1;\n\ncreate table t (\n  id int,\n  bad typo\n);")
	s := res.Statements[1]
	if s.Line != 3 {
		t.Fatalf("statement line = %d, want 3", s.Line)
	}
	// PostgreSQL positions count characters from 1.
	pos := len("create table t (\n  id int,\n  bad ") + 1
	for _, tc := range []struct{ pos, want int }{{0, 3}, {1, 3}, {17, 3}, {18, 4}, {pos, 5}} {
		if got := s.LineOf(tc.pos); got != tc.want {
			t.Errorf("LineOf(%d) = %d, want %d", tc.pos, got, tc.want)
		}
	}
	multi := Statement{Text: "select 'é'\n, x", Line: 1}
	if got := multi.LineOf(12); got != 2 { // 'x' is character 14, ',' is 12
		t.Errorf("LineOf counts bytes, not characters: got %d", got)
	}
}

func TestLeading(t *testing.T) {
	tests := map[string]string{
		"  commit":                        "commit",
		"-- note\nCOMMIT":                 "COMMIT",
		"/* a /* nested */ */ rollback  ": "rollback",
		"\uFEFF-- bom\r\n begin":          "begin",
		"-- only a comment":               "",
		"select 1 -- trailing":            "select 1 -- trailing",
		"/* unterminated comment commit":  "",
		"--a\n--b\n/**/end":               "end",
	}
	for in, want := range tests {
		if got := Leading(in); got != want {
			t.Errorf("Leading(%q) = %q, want %q", in, got, want)
		}
	}
}
