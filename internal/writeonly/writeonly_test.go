package writeonly

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func TestFingerprint(t *testing.T) {
	a, err := Fingerprint("anon-key-1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fingerprint("anon-key-1")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Error("two fingerprints of one value are equal: the salt is not random")
	}
	if strings.Contains(a, "anon-key-1") || !strings.HasPrefix(a, "pbkdf2-sha256$100000$") {
		t.Errorf("fingerprint %q", a)
	}
	if !Matches("anon-key-1", a) || !Matches("anon-key-1", b) {
		t.Error("the value does not match its own fingerprint")
	}
	for _, bad := range []string{"anon-key-2", "", "anon-key-1 "} {
		if Matches(bad, a) {
			t.Errorf("%q matches the fingerprint of anon-key-1", bad)
		}
	}
	for _, broken := range []string{"", "x", "md5$1$AA$AA", "pbkdf2-sha256$0$AA$AA", "pbkdf2-sha256$10$!!$AA", strings.Replace(a, "100000", "99999", 1)} {
		if Matches("anon-key-1", broken) {
			t.Errorf("malformed fingerprint %q matched", broken)
		}
	}
}

// The work factor is really applied: the same salt with one iteration less
// gives another hash, so the stored count is the count computed.
func TestFingerprintUsesItsIterationCount(t *testing.T) {
	salt := []byte("0123456789abcdef")
	full, err := fingerprint("v", salt, Iterations)
	if err != nil {
		t.Fatal(err)
	}
	fewer, err := fingerprint("v", salt, Iterations-1)
	if err != nil {
		t.Fatal(err)
	}
	hash := func(fp string) string { return fp[strings.LastIndex(fp, "$")+1:] }
	if hash(full) == hash(fewer) {
		t.Fatal("the hash does not depend on the iteration count")
	}
}

type private map[string][]byte

func (p private) GetKey(_ context.Context, k string) ([]byte, diag.Diagnostics) { return p[k], nil }
func (p private) SetKey(_ context.Context, k string, v []byte) diag.Diagnostics {
	p[k] = v
	return nil
}

func TestRecordDecisions(t *testing.T) {
	ctx := context.Background()
	p := private{}
	r, diags := Load(ctx, p, "k")
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := r.Decide("A", "x"); got != Adopted {
		t.Fatalf("no fingerprint: %v, want Adopted", got)
	}
	if err := r.Written("A", "x"); err != nil {
		t.Fatal(err)
	}
	_ = r.Written("B", "y")
	r.Forget(func(name string) bool { return name == "A" })
	r.Save(ctx, p)

	again, _ := Load(ctx, p, "k")
	for _, tc := range []struct {
		name, value string
		want        Decision
	}{
		{"A", "x", Unchanged},
		{"A", "x2", Changed},
		{"B", "y", Adopted}, // forgotten
	} {
		if got := again.Decide(tc.name, tc.value); got != tc.want {
			t.Errorf("Decide(%s, %s) = %v, want %v", tc.name, tc.value, got, tc.want)
		}
	}
}

// One rule for an unreadable record: every value counts as changed, and
// writing one starts a readable record again.
func TestUnreadableRecordMeansChanged(t *testing.T) {
	ctx := context.Background()
	for _, raw := range []string{`{"fingerprint":"pbkdf2-sha256$1$AA$AA"}`, `not json`, `{"v":2,"fingerprints":{}}`} {
		p := private{"k": []byte(raw)}
		r, _ := Load(ctx, p, "k")
		if got := r.Decide("A", "x"); got != Changed {
			t.Errorf("record %s: Decide = %v, want Changed", raw, got)
		}
		_ = r.Written("A", "x")
		r.Save(ctx, p)
		if got, _ := Load(ctx, p, "k"); got.Decide("A", "x") != Unchanged || got.Decide("B", "y") != Adopted {
			t.Errorf("record %s: not readable again after a write", raw)
		}
	}
}
