package policysql

import (
	"fmt"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// CreateSQL returns the CREATE POLICY statement for p.
func CreateSQL(p Policy) (string, error) {
	name, on, err := names(p.Schema, p.Table, p.Name)
	if err != nil {
		return "", err
	}
	if err := checkCommand(p); err != nil {
		return "", err
	}
	roles, err := pgident.QuoteRoles(p.Roles)
	if err != nil {
		return "", err
	}
	as := "RESTRICTIVE"
	if p.Permissive {
		as = "PERMISSIVE"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE POLICY %s ON %s AS %s FOR %s TO %s", name, on, as, p.Command, roles)
	if err := writeClauses(&b, p.Using, p.WithCheck); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Alter lists what ALTER POLICY changes. ALTER POLICY can set but never
// remove a USING or WITH CHECK clause; removing one needs a new policy.
type Alter struct {
	Roles     []string // the new roles, when SetRoles
	SetRoles  bool
	Using     string // the new USING expression, or "" to leave it
	WithCheck string // the new WITH CHECK expression, or "" to leave it
}

// AlterSQL returns the ALTER POLICY statement for a, or "" when a changes
// nothing.
func AlterSQL(schema, table, policy string, a Alter) (string, error) {
	if !a.SetRoles && a.Using == "" && a.WithCheck == "" {
		return "", nil
	}
	name, on, err := names(schema, table, policy)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ALTER POLICY %s ON %s", name, on)
	if a.SetRoles {
		roles, err := pgident.QuoteRoles(a.Roles)
		if err != nil {
			return "", err
		}
		b.WriteString(" TO " + roles)
	}
	if err := writeClauses(&b, a.Using, a.WithCheck); err != nil {
		return "", err
	}
	return b.String(), nil
}

// RenameSQL returns the ALTER POLICY ... RENAME TO statement.
func RenameSQL(schema, table, from, to string) (string, error) {
	name, on, err := names(schema, table, from)
	if err != nil {
		return "", err
	}
	newName, err := pgident.QuoteIdent(to)
	if err != nil {
		return "", fmt.Errorf("new policy name: %w", err)
	}
	return fmt.Sprintf("ALTER POLICY %s ON %s RENAME TO %s", name, on, newName), nil
}

// DropSQL returns DROP POLICY IF EXISTS, so a policy already removed by
// hand does not fail a destroy.
func DropSQL(schema, table, policy string) (string, error) {
	name, on, err := names(schema, table, policy)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("DROP POLICY IF EXISTS %s ON %s", name, on), nil
}

// TableRLSSQL returns the ALTER TABLE that sets row level security and
// whether it is forced on the table owner.
func TableRLSSQL(schema, table string, enabled, forced bool) (string, error) {
	on, err := pgident.QualifiedName(schema, table)
	if err != nil {
		return "", fmt.Errorf("table: %w", err)
	}
	enable, force := "DISABLE", "NO FORCE"
	if enabled {
		enable = "ENABLE"
	}
	if forced {
		force = "FORCE"
	}
	return fmt.Sprintf("ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY", on, enable, force), nil
}

func names(schema, table, policy string) (name, on string, err error) {
	if name, err = pgident.QuoteIdent(policy); err != nil {
		return "", "", fmt.Errorf("policy name: %w", err)
	}
	if on, err = pgident.QualifiedName(schema, table); err != nil {
		return "", "", fmt.Errorf("table: %w", err)
	}
	return name, on, nil
}

func checkCommand(p Policy) error {
	switch p.Command {
	case CommandAll, CommandSelect, CommandInsert, CommandUpdate, CommandDelete:
	default:
		return fmt.Errorf("command %q is not one of %s", p.Command, strings.Join(Commands, ", "))
	}
	if p.Using != "" && !p.Command.AllowsUsing() {
		return fmt.Errorf("a USING expression is meaningless for %s policies", p.Command)
	}
	if p.WithCheck != "" && !p.Command.AllowsWithCheck() {
		return fmt.Errorf("a WITH CHECK expression is meaningless for %s policies", p.Command)
	}
	return nil
}

func writeClauses(b *strings.Builder, using, withCheck string) error {
	for _, c := range []struct{ kw, expr string }{{"USING", using}, {"WITH CHECK", withCheck}} {
		if c.expr == "" {
			continue
		}
		if err := CheckExpression(c.expr); err != nil {
			return fmt.Errorf("%s expression: %w", c.kw, err)
		}
		b.WriteString(" " + c.kw + " (" + c.expr)
		if strings.Contains(c.expr, "--") {
			b.WriteString("\n") // ends a trailing line comment before our ")"
		}
		b.WriteString(")")
	}
	return nil
}
