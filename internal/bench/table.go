package bench

import (
	"strings"
	"unicode/utf8"
)

// Table is a grid of cells with a header. Columns listed in Right are
// right-aligned in text and in markdown.
type Table struct {
	Header []string
	Rows   [][]string
	Right  []int // column indexes
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

func (t Table) right(col int) bool {
	for _, c := range t.Right {
		if c == col {
			return true
		}
	}
	return false
}

func (t Table) columns() int {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return n
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// Text renders the table in aligned columns separated by two spaces, with
// a rule under the header, each line indented by indent.
func (t Table) Text(indent string) string {
	n := t.columns()
	widths := make([]int, n)
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i := 0; i < n; i++ {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell(row, i)))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		var parts []string
		for i := 0; i < n; i++ {
			c := cell(row, i)
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			switch {
			case t.right(i):
				parts = append(parts, pad+c)
			case i == n-1:
				parts = append(parts, c)
			default:
				parts = append(parts, c+pad)
			}
		}
		b.WriteString(strings.TrimRight(indent+strings.Join(parts, "  "), " ") + "\n")
	}
	line(t.Header)
	rule := make([]string, n)
	for i := range rule {
		rule[i] = strings.Repeat("-", widths[i])
	}
	b.WriteString(indent + strings.Join(rule, "  ") + "\n")
	for _, r := range t.Rows {
		line(r)
	}
	return b.String()
}

// Markdown renders the table as a GitHub-flavoured markdown table.
func (t Table) Markdown() string {
	n := t.columns()
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for i := 0; i < n; i++ {
			b.WriteString(" " + escapeCell(cell(cells, i)) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for i := 0; i < n; i++ {
		if t.right(i) {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	return b.String()
}

func escapeCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// Section is one scenario's results: paragraphs, tables and target
// verdicts, printed in the order they were added.
type Section struct {
	Title  string
	blocks []block
}

type block struct {
	para    string
	caption string
	table   *Table
	list    []string
}

// Para adds a paragraph.
func (s *Section) Para(text string) { s.blocks = append(s.blocks, block{para: text}) }

// Table adds a table with an optional caption.
func (s *Section) Table(caption string, t Table) {
	s.blocks = append(s.blocks, block{caption: caption, table: &t})
}

// List adds a bulleted list with an optional caption.
func (s *Section) List(caption string, items []string) {
	if len(items) == 0 {
		return
	}
	s.blocks = append(s.blocks, block{caption: caption, list: items})
}

// Text renders the section for a terminal.
func (s Section) Text() string {
	var b strings.Builder
	b.WriteString("== " + s.Title + " ==\n")
	for _, bl := range s.blocks {
		b.WriteString("\n")
		switch {
		case bl.table != nil:
			if bl.caption != "" {
				b.WriteString(bl.caption + "\n")
			}
			b.WriteString(bl.table.Text("  "))
		case bl.list != nil:
			if bl.caption != "" {
				b.WriteString(bl.caption + "\n")
			}
			for _, item := range bl.list {
				b.WriteString("  - " + item + "\n")
			}
		default:
			b.WriteString(bl.para + "\n")
		}
	}
	return b.String()
}

// Markdown renders the section under a level-3 heading.
func (s Section) Markdown() string {
	var b strings.Builder
	b.WriteString("### " + s.Title + "\n")
	for _, bl := range s.blocks {
		b.WriteString("\n")
		switch {
		case bl.table != nil:
			if bl.caption != "" {
				b.WriteString(bl.caption + "\n\n")
			}
			b.WriteString(bl.table.Markdown())
		case bl.list != nil:
			if bl.caption != "" {
				b.WriteString(bl.caption + "\n\n")
			}
			for _, item := range bl.list {
				b.WriteString("- " + item + "\n")
			}
		default:
			b.WriteString(bl.para + "\n")
		}
	}
	return b.String()
}
