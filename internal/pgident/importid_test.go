package pgident

import (
	"reflect"
	"strings"
	"testing"
)

func TestFormatID(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"public", "bookings"}, "public/bookings"},
		{[]string{"public", "bookings", "Users can view own bookings"}, "public/bookings/Users can view own bookings"},
		{[]string{"my.schema", `t"q`, "a/b"}, `my.schema/t"q/a%2Fb`},
		{[]string{"public", "100%", "x"}, "public/100%25/x"},
		{[]string{"public", "tab\tle", "nl\n"}, "public/tab%09le/nl%0A"},
		{[]string{"public", "Ünïcödé"}, "public/Ünïcödé"},
	} {
		got := FormatID(tc.parts...)
		if got != tc.want {
			t.Errorf("FormatID(%q) = %q, want %q", tc.parts, got, tc.want)
		}
		back, err := ParseID(got, make([]string, len(tc.parts))...)
		if err != nil || !reflect.DeepEqual(back, tc.parts) {
			t.Errorf("ParseID(%q) = %q, %v; want %q", got, back, err, tc.parts)
		}
	}
}

func TestParseID(t *testing.T) {
	got, err := ParseID("public/b%6Fokings/a%2fb", "schema", "table", "policy")
	if err != nil || !reflect.DeepEqual(got, []string{"public", "bookings", "a/b"}) {
		t.Fatalf("over-escaped ID: %q, %v", got, err)
	}
	for id, wantErr := range map[string]string{
		"public.bookings":                   `has 1 part(s), expected 2 in the form "schema/table"`,
		"public/bookings/x":                 "has 3 part(s)",
		"public/":                           "table part: identifier is empty",
		"/bookings":                         "schema part: identifier is empty",
		"public/50%":                        "two hex digits",
		"public/50%4":                       "two hex digits",
		"public/%zz":                        "two hex digits",
		"public/a%00b":                      "NUL",
		"public/" + strings.Repeat("x", 64): "truncates",
	} {
		_, err := ParseID(id, "schema", "table")
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseID(%q) error = %v, want one containing %q", id, err, wantErr)
		}
	}
}

// FuzzIDRoundTrip checks that every valid identifier triple survives
// FormatID then ParseID unchanged.
func FuzzIDRoundTrip(f *testing.F) {
	for _, seed := range [][3]string{
		{"public", "bookings", "Users can view own bookings"},
		{"a.b", `"q"`, "x/y%z"},
		{"%2F", "%", "/"},
		{" ", "\t", "Ünïcödé"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, s, tb, p string) {
		parts := []string{s, tb, p}
		for _, x := range parts {
			if ValidIdent(x) != nil {
				t.Skip()
			}
		}
		id := FormatID(parts...)
		if strings.Count(id, "/") != 2 {
			t.Fatalf("FormatID(%q) = %q has unescaped separators", parts, id)
		}
		back, err := ParseID(id, "schema", "table", "policy")
		if err != nil {
			t.Fatalf("ParseID(FormatID(%q)=%q): %v", parts, id, err)
		}
		if !reflect.DeepEqual(back, parts) {
			t.Fatalf("round trip %q -> %q -> %q", parts, id, back)
		}
	})
}
