package sqlsplit

import "strings"

// state is one state of the tokenizer. next receives the current character
// and the statement text so far (including that character) and returns the
// following state, or nil when the character ends the statement.
type state interface {
	next(r rune, tok string) state
}

// ready is outside any quote or comment.
type ready struct{}

func (s *ready) next(r rune, tok string) state {
	switch r {
	case '$':
		at := len(tok) - 1
		if identBefore(tok, at) { // part of an identifier such as a$b
			return s
		}
		return &dollarTag{offset: at}
	case '\'':
		// E'...' strings accept backslash escapes.
		return &quoted{delim: r, backslashes: endsWithKeyword(tok[:len(tok)-1], "E")}
	case '"':
		return &quoted{delim: r}
	case '-':
		return &dash{}
	case '/':
		return &slash{}
	case '\\':
		return &escaped{}
	case ';':
		return nil
	case '(':
		return &paren{prev: &ready{}}
	case 'c', 'C':
		if endsWithBeginAtomic(tok) {
			return &atomicBody{prev: &ready{}, stmtStart: len(tok)}
		}
	}
	return s
}

func isReady(s state) bool {
	_, ok := s.(*ready)
	return ok
}

// dash follows one '-': a second one starts a line comment.
type dash struct{}

func (dash) next(r rune, tok string) state {
	if r == '-' {
		return lineComment{}
	}
	return (&ready{}).next(r, tok)
}

type lineComment struct{}

func (s lineComment) next(r rune, _ string) state {
	if isNewline(r) {
		return &ready{}
	}
	return s
}

// slash follows a '/' and tracks nested block comments.
type slash struct {
	depth int
	after bool // the previous character completed a delimiter
}

func (s *slash) open() bool { return s.depth > 0 }

func (s *slash) next(r rune, tok string) state {
	d := 0
	if !s.after {
		d = commentDelta(lastTwo(tok))
	}
	s.after = d != 0
	if s.depth == 0 && d == 0 {
		return (&ready{}).next(r, tok)
	}
	s.depth += d
	if s.depth == 0 {
		return &ready{}
	}
	return s
}

// quoted is inside '...' or "..."; a doubled delimiter continues it.
type quoted struct {
	delim       rune
	backslashes bool // E'...' string: backslash escapes the next character
	closed      bool // the delimiter was seen; a second one reopens
	backslash   bool
}

func (s *quoted) open() bool { return !s.closed }

func (s *quoted) next(r rune, tok string) state {
	if s.closed {
		if r == s.delim {
			s.closed = false
			return s
		}
		if s.backslashes {
			return (&continuation{}).next(r, tok)
		}
		return (&ready{}).next(r, tok)
	}
	if s.backslash {
		s.backslash = false
		return s
	}
	if s.backslashes && r == '\\' {
		s.backslash = true
		return s
	}
	if r == s.delim {
		s.closed = true
	}
	return s
}

// continuation follows a closed E'...' string: PostgreSQL joins string
// constants separated by white space containing a newline.
type continuation struct {
	newline bool
	dashes  int
}

func (s *continuation) next(r rune, tok string) state {
	if s.dashes == 2 {
		if isNewline(r) {
			s.dashes = 0
			s.newline = true
		}
		return s
	}
	if r == '-' {
		s.dashes++
		return s
	}
	if s.dashes == 0 {
		if r < 128 && isSpace(byte(r)) {
			s.newline = s.newline || isNewline(r)
			return s
		}
		if s.newline && r == '\'' {
			return &quoted{delim: r, backslashes: true}
		}
	}
	return (&ready{}).next(r, tok)
}

// dollarTag is inside the tag of a $tag$ opening delimiter.
type dollarTag struct{ offset int }

func (s *dollarTag) next(r rune, tok string) state {
	if r == '$' {
		return &dollarBody{delim: tok[s.offset:]}
	}
	if identChar(r) {
		return s
	}
	return (&ready{}).next(r, tok)
}

// dollarBody is inside a dollar-quoted body until its delimiter recurs.
type dollarBody struct{ delim string }

func (*dollarBody) open() bool { return true }

func (s *dollarBody) next(_ rune, tok string) state {
	if strings.HasSuffix(tok, s.delim) {
		return &ready{}
	}
	return s
}

// escaped skips the character after a backslash outside quotes.
type escaped struct{}

func (escaped) next(rune, string) state { return &ready{} }

// paren is inside parentheses, where ';' does not end the statement.
type paren struct{ prev state }

func (s *paren) open() bool   { return isOpen(s.prev) }
func (s *paren) atomic() bool { return isAtomic(s.prev) }

func (s *paren) next(r rune, tok string) state {
	n := s.prev.next(r, tok)
	if n == nil {
		s.prev = &ready{}
		return s
	}
	s.prev = n
	if !isReady(n) {
		return s
	}
	if r == ')' {
		return &ready{}
	}
	return s
}

// atomicBody is inside BEGIN ATOMIC ... END, whose inner statements end
// with ';' without ending the enclosing statement.
type atomicBody struct {
	prev       state
	pendingEnd bool // saw END at the start of an inner statement
	stmtStart  int
	hasContent bool
}

func (s *atomicBody) open() bool { return isOpen(s.prev) }
func (*atomicBody) atomic() bool { return true }

func (s *atomicBody) next(r rune, tok string) state {
	pending := s.pendingEnd
	s.pendingEnd = false
	if pending && !identChar(r) {
		return (&ready{}).next(r, tok)
	}
	n := s.prev.next(r, tok)
	if n == nil {
		s.prev = &ready{}
		s.stmtStart = len(tok)
		s.hasContent = false
		return s
	}
	s.prev = n
	if !isReady(n) {
		return s
	}
	if !s.hasContent && endsWithKeyword(tok, "END") {
		if before := tok[min(s.stmtStart, len(tok)-3) : len(tok)-3]; skipSpaceAndComments(before, false) == len(before) {
			s.pendingEnd = true
		} else {
			s.hasContent = true
		}
	}
	return s
}

func isOpen(s state) bool {
	o, ok := s.(interface{ open() bool })
	return ok && o.open()
}

func isAtomic(s state) bool {
	a, ok := s.(interface{ atomic() bool })
	return ok && a.atomic()
}
