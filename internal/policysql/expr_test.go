package policysql

import (
	"strings"
	"testing"
)

func TestCheckExpression(t *testing.T) {
	ok := []string{
		"mentor_id = auth.uid() OR mentee_id = auth.uid()",
		"mentee_id = auth.uid() AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentee')",
		"name = ')'",
		"name = 'it''s ;)'",
		`name = E'\') ; '`,
		`"weird ) col;" = 1`,
		`"a""b" = 1`,
		"body = $$ ) ; $$",
		"body = $tag$ $$ ) $tag$",
		"a = $1", // a parameter, not a dollar quote
		"a$b = 1",
		"a = 1 -- trailing comment with ) and ;",
		"a = 1 -- ; )\n AND b = 2",
		"a /* nested /* ) */ ; */ = 1",
		"((a))",
		"x IN ('a', 'b')",
	}
	for _, e := range ok {
		if err := CheckExpression(e); err != nil {
			t.Errorf("CheckExpression(%q) = %v, want nil", e, err)
		}
	}
	bad := map[string]string{
		"":                            "empty",
		"   \n":                       "empty",
		"true) OR (true":              "unbalanced",
		"true); DROP TABLE users; --": "unbalanced",
		"true; DROP TABLE users":      "single SQL expression",
		"(a = 1":                      "unclosed",
		"(a = 1 -- )":                 "unclosed",
		"name = 'open":                "unterminated string",
		`name = E'\'`:                 "unterminated string",
		`"open = 1`:                   "unterminated quoted identifier",
		"a /* open":                   "unterminated /*",
		"a /* /* */ = 1":              "unterminated /*",
		"body = $q$ open":             "unterminated dollar-quoted",
		"a = 1\x00":                   "NUL",
	}
	for e, want := range bad {
		err := CheckExpression(e)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckExpression(%q) = %v, want error containing %q", e, err, want)
		}
	}
}

// FuzzCheckExpression checks the property CreateSQL relies on: an accepted
// expression, wrapped the way writeClauses wraps it, leaves the scanner at
// depth zero outside any string or comment, so nothing after it is absorbed.
func FuzzCheckExpression(f *testing.F) {
	for _, s := range []string{"a = 1", "x = ')'", "$$)$$", "-- c", "/* ) */", `E'\''`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, e string) {
		if CheckExpression(e) != nil {
			return
		}
		wrapped := "(" + e
		if strings.Contains(e, "--") {
			wrapped += "\n"
		}
		wrapped += ") AND sentinel"
		if err := CheckExpression(wrapped); err != nil {
			t.Fatalf("accepted %q but its wrapped form %q is not balanced: %v", e, wrapped, err)
		}
		if err := CheckExpression(wrapped + ")"); err == nil {
			t.Fatalf("wrapped %q absorbed a closing parenthesis", e)
		}
	})
}
