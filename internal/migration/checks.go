package migration

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/sqlsplit"
)

// transactionControl matches statements that end or start a transaction
// (the CLI's list); ROLLBACK is handled apart because ROLLBACK TO SAVEPOINT
// stays inside the transaction.
var transactionControl = regexp.MustCompile(`^(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ABORT|PREPARE\s+TRANSACTION)(?:\s|$)`)

// outsideTransaction matches statements PostgreSQL refuses inside a
// transaction block ("cannot run inside a transaction block").
var outsideTransaction = regexp.MustCompile(`^(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|REINDEX(?:\s|\().*\sCONCURRENTLY|VACUUM|ALTER\s+SYSTEM|CREATE\s+DATABASE|DROP\s+DATABASE|CREATE\s+TABLESPACE|DROP\s+TABLESPACE)(?:\s|\(|$)`)

// IsTransactionControl reports whether stmt begins, commits or aborts a
// transaction.
func IsTransactionControl(stmt string) bool {
	s := strings.ToUpper(sqlsplit.Leading(stmt))
	words := strings.Fields(s)
	if len(words) > 0 && words[0] == "ROLLBACK" {
		i := 1
		if len(words) > 1 && (words[1] == "WORK" || words[1] == "TRANSACTION") {
			i = 2
		}
		return len(words) <= i || words[i] != "TO"
	}
	return transactionControl.MatchString(s)
}

// needsNoTransaction reports whether stmt cannot run in a transaction block.
func needsNoTransaction(stmt string) bool {
	return outsideTransaction.MatchString(strings.ToUpper(sqlsplit.Leading(stmt)))
}

// Check returns what would make applying f fail or misbehave, found before
// anything runs: an unterminated quote or comment, transaction control in a
// file that runs in a transaction (its COMMIT would end the provider's
// transaction early and record the file as applied after a partial run), and
// statements PostgreSQL refuses inside a transaction.
func (f File) Check() []string {
	var problems []string
	if f.Unterminated {
		line := 1
		if n := len(f.Statements); n > 0 {
			line = f.Statements[n-1].Line
		}
		problems = append(problems, fmt.Sprintf("%s: the statement starting on line %d never ends: an unclosed quote, dollar quote ($$) or /* comment swallows the rest of the file", f.Filename, line))
	}
	if f.NoTransaction {
		return problems
	}
	for i, s := range f.Statements {
		switch {
		case IsTransactionControl(s.Text):
			problems = append(problems, fmt.Sprintf("%s: statement %d (line %d) %q controls the transaction. Each file runs in one transaction "+
				"together with its history row, so a COMMIT, ROLLBACK, BEGIN or END here would break that. Remove it, or make "+
				"the file run outside a transaction by putting %q on its first line.",
				f.Filename, i+1, s.Line, excerpt(sqlsplit.Leading(s.Text)), DirectiveCLINoTransaction))
		case needsNoTransaction(s.Text):
			problems = append(problems, fmt.Sprintf("%s: statement %d (line %d) %q cannot run inside a transaction. Move it to a file of "+
				"its own whose first line is %q (the file then runs statement by statement).",
				f.Filename, i+1, s.Line, excerpt(sqlsplit.Leading(s.Text)), DirectiveCLINoTransaction))
		}
	}
	return problems
}

// excerpt is the first line of s, shortened for a message.
func excerpt(s string) string {
	line, _, more := strings.Cut(s, "\n")
	line = strings.TrimRight(line, "\r")
	if r := []rune(line); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	if more {
		return line + " ..."
	}
	return line
}
