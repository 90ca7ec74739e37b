package pgident

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestQuoteIdent(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "bookings", want: `"bookings"`},
		{in: "Users can view own bookings", want: `"Users can view own bookings"`},
		{in: `say "hi"`, want: `"say ""hi"""`},
		{in: `a.b`, want: `"a.b"`},
		{in: `x"; DROP TABLE users; --`, want: `"x""; DROP TABLE users; --"`},
		{in: "select", want: `"select"`},
		{in: "Ünïcödé", want: `"Ünïcödé"`},
		{in: "", err: "empty"},
		{in: "a\x00b", err: "NUL"},
		{in: strings.Repeat("x", 64), err: "truncates"},
	} {
		got, err := QuoteIdent(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("QuoteIdent(%q) error = %v, want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("QuoteIdent(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := QuoteIdent("a\x00"); !errors.Is(err, ErrNUL) {
		t.Errorf("NUL error %v does not wrap ErrNUL", err)
	}
	if got, err := QuoteIdent(strings.Repeat("x", 63)); err != nil || len(got) != 65 {
		t.Errorf("63-byte identifier: %q, %v", got, err)
	}
}

func TestQualifiedName(t *testing.T) {
	got, err := QualifiedName("my schema", `t"x`)
	if err != nil || got != `"my schema"."t""x"` {
		t.Fatalf("QualifiedName = %q, %v", got, err)
	}
	if _, err := QualifiedName("", "t"); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Fatalf("empty schema: %v", err)
	}
	if _, err := QualifiedName("s", ""); err == nil {
		t.Fatal("empty name accepted")
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"mentee":        `'mentee'`,
		"it's":          `'it''s'`,
		`back\slash`:    `E'back\\slash'`,
		`'\'`:           `E'''\\'''`,
		"":              `''`,
		"line\nbreak":   "'line\nbreak'",
		"'; DROP x; --": `'''; DROP x; --'`,
	} {
		got, err := QuoteLiteral(in)
		if err != nil || got != want {
			t.Errorf("QuoteLiteral(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := QuoteLiteral("a\x00"); !errors.Is(err, ErrNUL) {
		t.Errorf("NUL literal: %v", err)
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		in        []string
		want, err string
	}{
		{in: nil, want: "PUBLIC"},
		{in: []string{}, want: "PUBLIC"},
		{in: []string{"public"}, want: "PUBLIC"},
		{in: []string{"PUBLIC"}, want: "PUBLIC"},
		{in: []string{"authenticated"}, want: `"authenticated"`},
		{in: []string{"anon", "Service Role"}, want: `"anon", "Service Role"`},
		{in: []string{"anon", ""}, err: "role: identifier is empty"},
	} {
		got, err := QuoteRoles(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("QuoteRoles(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("QuoteRoles(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if CanonicalRole("Public") != Public || CanonicalRole("anon") != "anon" || IsPublic("publics") {
		t.Error("CanonicalRole/IsPublic mapping wrong")
	}
}

func TestIdentValidator(t *testing.T) {
	for in, wantErr := range map[string]bool{"bookings": false, `a "b".c`: false, "": true, "a\x00": true, strings.Repeat("x", 64): true} {
		var resp validator.StringResponse
		IdentValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("table"), ConfigValue: types.StringValue(in),
		}, &resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("IdentValidator(%q) error = %v, want %v", in, resp.Diagnostics, wantErr)
		}
	}
	var resp validator.StringResponse
	IdentValidator{}.ValidateString(context.Background(), validator.StringRequest{ConfigValue: types.StringUnknown()}, &resp)
	if resp.Diagnostics.HasError() {
		t.Error("unknown value rejected")
	}
}
