// Package sqlsplit splits a SQL migration file into statements exactly as the
// Supabase CLI (3.x) does before it applies a file and records its
// `statements` in supabase_migrations.schema_migrations.
//
// The result must be byte-for-byte what the CLI stores: `supabase migration
// list`/`db push` and this provider both read the history table written by the
// other, and an applied file is compared with its stored statements. The state
// machine below is therefore a faithful port of the CLI's tokenizer, including
// its quirks (for example a closing parenthesis ends every open parenthesis
// level at once); "fixing" a quirk would make the stored statements differ.
package sqlsplit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Statement is one statement of a file.
type Statement struct {
	// Text is the statement as the CLI stores it: verbatim, comments included,
	// trailing semicolons removed, surrounding whitespace trimmed.
	Text string
	// Offset is the byte offset of Text in the split input.
	Offset int
	// Line is the 1-based line of the input on which Text starts.
	Line int
}

// Result is the outcome of Split.
type Result struct {
	Statements []Statement
	// Unterminated reports that the input ends inside a quoted string, a
	// quoted identifier, a dollar-quoted body or a block comment.
	Unterminated bool
	// BeginAtomic reports that the input contains a BEGIN ATOMIC ... END body.
	BeginAtomic bool
}

// Split splits sql into statements. Empty statements are dropped.
func Split(sql string) Result {
	var res Result
	var st state = &ready{}
	start := 0
	line, lineAt := 1, 0 // line number of byte offset lineAt, advanced lazily
	emit := func(from, to int) {
		tok := sql[from:to]
		text := jsTrim(strings.TrimRight(tok, ";"))
		if text == "" {
			return
		}
		off := from + strings.Index(tok, text)
		line += strings.Count(sql[lineAt:off], "\n")
		lineAt = off
		res.Statements = append(res.Statements, Statement{Text: text, Offset: off, Line: line})
	}
	for end := 0; end < len(sql); {
		r, w := utf8.DecodeRuneInString(sql[end:])
		end += w
		next := st.next(r, sql[start:end])
		if next == nil {
			emit(start, end)
			start = end
			st = &ready{}
			continue
		}
		st = next
		res.BeginAtomic = res.BeginAtomic || isAtomic(st)
	}
	if start < len(sql) {
		emit(start, len(sql))
	}
	res.Unterminated = isOpen(st)
	return res
}

// Texts returns the statement texts, the value stored in the history table.
func Texts(stmts []Statement) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = s.Text
	}
	return out
}

// LineOf maps a PostgreSQL error position (1-based, in characters, relative
// to the statement text) to the 1-based line of the input. A position of 0
// (unknown) yields the statement's first line.
func (s Statement) LineOf(position int) int {
	if position <= 1 {
		return s.Line
	}
	n, line := 0, s.Line
	for _, r := range s.Text {
		n++
		if n >= position {
			break
		}
		if r == '\n' {
			line++
		}
	}
	return line
}

// Leading returns s without leading whitespace, byte order marks and
// comments, trimmed: the text the CLI inspects to classify a statement.
func Leading(s string) string {
	return jsTrim(s[skipSpaceAndComments(s, true):])
}

// identChar is the CLI's identifier-character test: ASCII letters, digits,
// '_' and '$', and every non-ASCII character.
func identChar(r rune) bool {
	return r >= 128 || r == '_' || r == '$' ||
		(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// identBefore reports whether the character before byte offset pos of text
// is an identifier character.
func identBefore(text string, pos int) bool {
	if pos <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:pos])
	return identChar(r)
}

// endsWithKeyword reports whether text ends with the upper-case keyword kw
// (case-insensitively) not preceded by an identifier character.
func endsWithKeyword(text, kw string) bool {
	at := len(text) - len(kw)
	if at < 0 || upperASCII(text[at:]) != kw {
		return false
	}
	return !identBefore(text, at)
}

func endsWithBeginAtomic(text string) bool {
	if !endsWithKeyword(text, "ATOMIC") {
		return false
	}
	n := len(text) - len("ATOMIC")
	for n > 0 && isSpace(text[n-1]) {
		n--
	}
	return endsWithKeyword(text[:n], "BEGIN")
}

func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// isSpace is the CLI's whitespace set for keyword scanning.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

func isNewline(r rune) bool { return r == '\n' || r == '\r' }

// jsTrim trims what JavaScript's String.prototype.trim trims: Unicode white
// space and line terminators plus U+FEFF, but not U+0085.
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == 0xFEFF || (r != 0x85 && unicode.IsSpace(r))
	})
}

// skipSpaceAndComments returns the offset of the first byte of s that is
// neither white space nor inside a comment; bom also skips U+FEFF.
func skipSpaceAndComments(s string, bom bool) int {
	r := 0
	for r < len(s) {
		switch {
		case isSpace(s[r]):
			r++
		case bom && strings.HasPrefix(s[r:], "\uFEFF"):
			r += len("\uFEFF")
		case strings.HasPrefix(s[r:], "--"):
			i := strings.IndexAny(s[r+2:], "\n\r")
			if i < 0 {
				return len(s)
			}
			r += i + 3
		case strings.HasPrefix(s[r:], "/*"):
			depth, after := 1, true
			r += 2
			for r < len(s) && depth > 0 {
				d := 0
				if !after {
					d = commentDelta(s[r-1 : r+1])
				}
				after = d != 0
				depth += d
				r++
			}
			if depth > 0 {
				return len(s)
			}
		default:
			return r
		}
	}
	return len(s)
}

func commentDelta(pair string) int {
	switch pair {
	case "/*":
		return 1
	case "*/":
		return -1
	}
	return 0
}

// lastTwo returns the last two bytes of tok (fewer if it is shorter).
func lastTwo(tok string) string {
	if len(tok) < 2 {
		return tok
	}
	return tok[len(tok)-2:]
}
