package migration

import (
	"fmt"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/sqlsplit"
)

// DiffSummary says briefly how a file's statements differ from those stored
// when it was applied: which statement changed, on which line of the file,
// and the first differing line on each side. "" means no difference.
func DiffSummary(stored []string, file []sqlsplit.Statement) string {
	n := min(len(stored), len(file))
	i := 0
	for i < n && stored[i] == file[i].Text {
		i++
	}
	if i == n && len(stored) == len(file) {
		return ""
	}
	var b strings.Builder
	if len(stored) != len(file) {
		fmt.Fprintf(&b, "the file has %d statements, the history %d; ", len(file), len(stored))
	}
	switch {
	case i == len(file): // statements removed from the end
		fmt.Fprintf(&b, "statements %d to %d were removed from the end of the file; the first removed was: %s",
			i+1, len(stored), quoteLine(firstLine(stored[i])))
	case i == len(stored): // statements appended
		fmt.Fprintf(&b, "statement %d (line %d) was added: %s", i+1, file[i].Line, quoteLine(firstLine(file[i].Text)))
	default:
		oldLines := strings.Split(stored[i], "\n")
		newLines := strings.Split(file[i].Text, "\n")
		j := 0
		for j < len(oldLines) && j < len(newLines) && oldLines[j] == newLines[j] {
			j++
		}
		fmt.Fprintf(&b, "statement %d (starting on line %d) differs first on line %d of the file: history has %s, the file has %s",
			i+1, file[i].Line, file[i].Line+j, lineAt(oldLines, j), lineAt(newLines, j))
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// lineAt quotes line i, or says that there is none.
func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return quoteLine(lines[i])
	}
	return "(no more lines)"
}

// quoteLine shows one line in backquotes, shortened.
func quoteLine(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(an empty line)"
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:97]) + "..."
	}
	return "`" + s + "`"
}
