// Package pgident quotes PostgreSQL identifiers, literals and role names,
// and formats import IDs made of identifiers.
//
// Every name that reaches SQL text goes through this package: identifiers
// are always double-quoted (so case, spaces, dots and keywords survive and
// nothing in a name can end the identifier), and NUL bytes, which PostgreSQL
// cannot store, are rejected instead of silently truncating the name.
package pgident

import (
	"errors"
	"fmt"
	"strings"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL truncates longer identifiers,
// which would make the object we create differ from the one we read back.
const maxIdentLen = 63

// ErrNUL is returned for names and literals containing a NUL byte.
var ErrNUL = errors.New("contains a NUL byte, which PostgreSQL cannot store")

// QuoteIdent returns name as a double-quoted identifier with embedded
// double quotes doubled.
func QuoteIdent(name string) (string, error) {
	if err := ValidIdent(name); err != nil {
		return "", err
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, nil
}

// ValidIdent reports why name cannot be used as an identifier, or nil.
func ValidIdent(name string) error {
	switch {
	case name == "":
		return errors.New("identifier is empty")
	case strings.IndexByte(name, 0) >= 0:
		return fmt.Errorf("identifier %q %w", name, ErrNUL)
	case len(name) > maxIdentLen:
		return fmt.Errorf("identifier %q is %d bytes long; PostgreSQL truncates identifiers to %d bytes", name, len(name), maxIdentLen)
	}
	return nil
}

// QualifiedName returns "schema"."name".
func QualifiedName(schema, name string) (string, error) {
	s, err := QuoteIdent(schema)
	if err != nil {
		return "", fmt.Errorf("schema: %w", err)
	}
	n, err := QuoteIdent(name)
	if err != nil {
		return "", err
	}
	return s + "." + n, nil
}

// QuoteLiteral returns s as an SQL string literal. Backslashes force the
// E” form so the result means the same whatever standard_conforming_strings
// is set to.
func QuoteLiteral(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("string literal %w", ErrNUL)
	}
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		q = "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q, nil
}

// Public is the name PostgreSQL reports for the PUBLIC pseudo-role
// (pg_policies shows {public}); it is the canonical form this provider uses.
const Public = "public"

// IsPublic reports whether role names the PUBLIC pseudo-role. PostgreSQL
// reserves the name "public" for roles, so any spelling of it means PUBLIC.
func IsPublic(role string) bool { return strings.EqualFold(role, Public) }

// CanonicalRole returns role with any spelling of PUBLIC mapped to Public.
func CanonicalRole(role string) string {
	if IsPublic(role) {
		return Public
	}
	return role
}

// QuoteRole returns a role specification: the keyword PUBLIC, or the quoted
// role name.
func QuoteRole(role string) (string, error) {
	if IsPublic(role) {
		return "PUBLIC", nil
	}
	q, err := QuoteIdent(role)
	if err != nil {
		return "", fmt.Errorf("role: %w", err)
	}
	return q, nil
}

// QuoteRoles returns a comma-separated role list; an empty list means PUBLIC,
// as it does for CREATE POLICY without a TO clause.
func QuoteRoles(roles []string) (string, error) {
	if len(roles) == 0 {
		return "PUBLIC", nil
	}
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		q, err := QuoteRole(r)
		if err != nil {
			return "", err
		}
		out = append(out, q)
	}
	return strings.Join(out, ", "), nil
}
