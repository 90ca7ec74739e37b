// Package policysql builds and runs the SQL behind the row level security
// resources: CREATE/ALTER/DROP POLICY, reading policies back from pg_policy,
// normalising configured expressions by letting the server parse them, and
// serialising catalog writes per table.
//
// Names always go through pgident; expressions are user SQL by design and
// are checked by CheckExpression, wrapped in their own parentheses and sent
// with the extended protocol, which refuses a second statement.
package policysql

import (
	"fmt"
	"slices"
	"sort"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// Command is the command a policy applies to, as written in CREATE POLICY.
type Command string

// The commands of CREATE POLICY ... FOR.
const (
	CommandAll    Command = "ALL"
	CommandSelect Command = "SELECT"
	CommandInsert Command = "INSERT"
	CommandUpdate Command = "UPDATE"
	CommandDelete Command = "DELETE"
)

// Commands lists the valid commands in the order the docs show them.
var Commands = []string{"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"}

// AllowsUsing reports whether a USING expression means anything for c;
// PostgreSQL rejects one on INSERT policies.
func (c Command) AllowsUsing() bool { return c != CommandInsert }

// AllowsWithCheck reports whether a WITH CHECK expression means anything for
// c; PostgreSQL rejects one on SELECT and DELETE policies.
func (c Command) AllowsWithCheck() bool { return c != CommandSelect && c != CommandDelete }

// commandFromCatalog maps pg_policy.polcmd to a Command.
func commandFromCatalog(polcmd string) (Command, error) {
	switch polcmd {
	case "*":
		return CommandAll, nil
	case "r":
		return CommandSelect, nil
	case "a":
		return CommandInsert, nil
	case "w":
		return CommandUpdate, nil
	case "d":
		return CommandDelete, nil
	}
	return "", fmt.Errorf("unknown pg_policy.polcmd %q", polcmd)
}

// Policy is one row level security policy. Using and WithCheck are SQL
// expressions; "" means the clause is absent. Roles are role names, with
// pgident.Public for PUBLIC; an empty list also means PUBLIC.
type Policy struct {
	Schema     string
	Table      string
	Name       string
	Command    Command
	Permissive bool
	Roles      []string
	Using      string
	WithCheck  string
}

// CanonicalRoles returns roles with PUBLIC spelled pgident.Public, sorted and
// de-duplicated, and {public} for an empty list: the form PostgreSQL reports.
func CanonicalRoles(roles []string) []string {
	if len(roles) == 0 {
		return []string{pgident.Public}
	}
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = pgident.CanonicalRole(r)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// RolesEqual reports whether two role lists grant the policy to the same
// roles, treating them as sets and an empty list as PUBLIC.
func RolesEqual(a, b []string) bool {
	return slices.Equal(CanonicalRoles(a), CanonicalRoles(b))
}
