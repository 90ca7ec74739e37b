package policysql

import (
	"errors"
	"fmt"
	"strings"
)

// CheckExpression reports why expr cannot be used as one USING or WITH CHECK
// expression. It is a lexical check, not a parser: it makes sure the text
// cannot close the parentheses the provider wraps it in, holds no second
// statement, and has no unterminated string, quoted identifier or comment.
// The server still parses the expression; this gives an early, clear error.
func CheckExpression(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return errors.New("expression is empty; omit the attribute instead")
	}
	depth := 0
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '-' && strings.HasPrefix(expr[i:], "--"):
			nl := strings.IndexByte(expr[i:], '\n')
			if nl < 0 {
				nl = len(expr) - i - 1 // a trailing line comment; Build ends it with a newline
			}
			i += nl + 1
		case c == '/' && strings.HasPrefix(expr[i:], "/*"):
			n, err := skipBlockComment(expr[i:])
			if err != nil {
				return err
			}
			i += n
		case c == '\'':
			escapes := i > 0 && (expr[i-1] == 'E' || expr[i-1] == 'e') && (i < 2 || !isIdentChar(expr[i-2]))
			n, err := skipQuoted(expr[i:], '\'', escapes)
			if err != nil {
				return err
			}
			i += n
		case c == '"':
			n, err := skipQuoted(expr[i:], '"', false)
			if err != nil {
				return err
			}
			i += n
		case c == '$' && (i == 0 || !isIdentChar(expr[i-1])):
			n, err := skipDollarQuoted(expr[i:])
			if err != nil {
				return err
			}
			i += n
		case c == '(':
			depth++
			i++
		case c == ')':
			depth--
			if depth < 0 {
				return fmt.Errorf("unbalanced %q at byte %d: an expression cannot close parentheses it did not open", ")", i)
			}
			i++
		case c == ';':
			return fmt.Errorf("%q at byte %d: write a single SQL expression, not statements", ";", i)
		case c == 0:
			return errors.New("expression contains a NUL byte")
		default:
			i++
		}
	}
	if depth > 0 {
		return fmt.Errorf("%d unclosed %q", depth, "(")
	}
	return nil
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// skipQuoted returns the length of the quoted token at the start of s.
// Doubled quotes are literal; with escapes (E'...'), so is a backslash pair.
func skipQuoted(s string, q byte, escapes bool) (int, error) {
	for i := 1; i < len(s); i++ {
		switch {
		case escapes && s[i] == '\\':
			i++
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i++
		case s[i] == q:
			return i + 1, nil
		}
	}
	if q == '"' {
		return 0, errors.New("unterminated quoted identifier")
	}
	return 0, errors.New("unterminated string literal")
}

// skipBlockComment returns the length of the (nestable) comment at s.
func skipBlockComment(s string) (int, error) {
	depth := 0
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i++
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i++
			if depth == 0 {
				return i + 1, nil
			}
		}
	}
	return 0, errors.New("unterminated /* comment")
}

// skipDollarQuoted returns the length of a $tag$...$tag$ string at s, or 1
// when the "$" does not open one (a positional parameter such as $1).
func skipDollarQuoted(s string) (int, error) {
	end := 1
	for end < len(s) && s[end] != '$' {
		c := s[end]
		letter := c == '_' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (end == 1 || c < '0' || c > '9') {
			return 1, nil
		}
		end++
	}
	if end >= len(s) {
		return 1, nil
	}
	tag := s[:end+1]
	closeAt := strings.Index(s[len(tag):], tag)
	if closeAt < 0 {
		return 0, fmt.Errorf("unterminated dollar-quoted string %s", tag)
	}
	return len(tag) + closeAt + len(tag), nil
}
