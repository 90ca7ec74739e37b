package policysql

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"

	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	viewOwn    = "mentor_id = auth.uid() OR mentee_id = auth.uid()"
	createOwn  = "mentee_id = auth.uid() AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentee')"
	storedView = "((mentor_id = auth.uid()) OR (mentee_id = auth.uid()))"
)

// TestNormalizeMatchesStored proves the comparison the policy resource
// relies on: the normalised configuration equals what the catalog stores
// for the same text, for reformatted text, and differs for other logic.
func TestNormalizeMatchesStored(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	bookings := func(name string, cmd Command, using, check string) Policy {
		return Policy{Schema: "public", Table: "bookings", Name: name, Command: cmd, Permissive: true, Roles: []string{"authenticated"}, Using: using, WithCheck: check}
	}
	cases := []struct {
		policy    Policy
		same      []Policy // reformatted: must normalise to the stored form
		different Policy   // other logic: must not
	}{
		{
			policy: bookings("Users can view own bookings", CommandSelect, viewOwn, ""),
			same: []Policy{
				bookings("", CommandSelect, "(mentor_id=auth.uid())   OR\n\t(mentee_id = auth.uid())", ""),
				bookings("", CommandSelect, "((( mentor_id = auth.uid() or mentee_id = auth.uid() )))", ""),
				bookings("", CommandSelect, "mentor_id = AUTH.UID() or mentee_id = auth.uid() -- either party", ""),
			},
			different: bookings("", CommandSelect, "mentor_id = auth.uid() AND mentee_id = auth.uid()", ""),
		},
		{
			policy: bookings("Mentees can create bookings", CommandInsert, "", createOwn),
			same: []Policy{
				bookings("", CommandInsert, "", "(mentee_id = auth.uid()) and exists (select 1 from public.users where users.id = auth.uid() and users.role = 'mentee'::text)"),
				bookings("", CommandInsert, "", "mentee_id = auth.uid()\n  AND EXISTS (\n    SELECT 1 FROM users\n    WHERE id = auth.uid() AND role = 'mentee'\n  )"),
			},
			different: bookings("", CommandInsert, "", "mentee_id = auth.uid() AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentor')"),
		},
		{
			policy: bookings("in list and scalar subquery", CommandAll, "mentee_id in (select id from users where role in ('a','b'))", "(select auth.uid()) = mentee_id"),
			same: []Policy{
				bookings("", CommandAll, "mentee_id = ANY (SELECT id FROM users WHERE role = ANY (ARRAY['a', 'b']))", "((SELECT auth.uid() AS uid) = mentee_id)"),
			},
			different: bookings("", CommandAll, "mentee_id in (select id from users where role in ('a','b'))", "auth.uid() = mentee_id"),
		},
	}
	for _, tc := range cases {
		create(t, db, tc.policy)
		stored := read(t, db, "public", "bookings", tc.policy.Name)
		if stored == nil {
			t.Fatalf("%q not found after create", tc.policy.Name)
		}
		want := Expressions{Using: stored.Using, WithCheck: stored.WithCheck}
		for _, p := range append([]Policy{tc.policy}, tc.same...) {
			got, err := Normalize(ctxT(t), db, p)
			if err != nil {
				t.Fatalf("Normalize(%q / %q): %v", p.Using, p.WithCheck, err)
			}
			if got != want {
				t.Errorf("Normalize(%q / %q) =\n%+v\nstored\n%+v", p.Using, p.WithCheck, got, want)
			}
		}
		got, err := Normalize(ctxT(t), db, tc.different)
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			t.Errorf("Normalize(%q / %q) equals the stored form of %q; a real change would go unseen", tc.different.Using, tc.different.WithCheck, tc.policy.Name)
		}
	}
	if got := read(t, db, "public", "bookings", "Users can view own bookings").Using; got != storedView {
		t.Errorf("stored form = %q, want %q", got, storedView)
	}
	// The probes were rolled back: only the three real policies exist.
	all, err := ReadPolicies(ctxT(t), db, "public", "bookings")
	if err != nil || len(all) != 3 {
		t.Fatalf("ReadPolicies = %d policies, %v; want the 3 created (no probe left behind)", len(all), err)
	}
}

// TestOutputIgnoresSessionSearchPath proves plans do not depend on the
// connecting role's search_path: a session whose path lacks public reads and
// normalises exactly like a default session.
func TestOutputIgnoresSessionSearchPath(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	p := Policy{Schema: "public", Table: "bookings", Name: "create", Command: CommandInsert, Permissive: true, WithCheck: createOwn}
	create(t, db, p)
	cfg := db.Config().Copy()
	cfg.ConnConfig.RuntimeParams["search_path"] = "auth"
	odd, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer odd.Close()
	var path string
	if err := odd.QueryRow(ctxT(t), "SHOW search_path").Scan(&path); err != nil || path != "auth" {
		t.Fatalf("session search_path = %q, %v; the test needs it to be auth", path, err)
	}
	for _, d := range []struct {
		name string
		db   DB
	}{{"default", db}, {"search_path=auth", odd}} {
		stored := read(t, d.db, "public", "bookings", "create")
		norm, err := Normalize(ctxT(t), d.db, p)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if norm.WithCheck != stored.WithCheck || strings.Contains(stored.WithCheck, "public.users") {
			t.Errorf("%s: normalised %q, stored %q; want equal and unqualified", d.name, norm.WithCheck, stored.WithCheck)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	_, err := Normalize(ctxT(t), db, Policy{Schema: "public", Table: "nope", Command: CommandAll, Using: "true"})
	var nf *TableNotFoundError
	if !errors.As(err, &nf) || nf.Table != "nope" || !strings.Contains(err.Error(), `"public"."nope"`) {
		t.Errorf("missing table: %v", err)
	}
	// The check also runs when there is nothing to normalise.
	if _, err := Normalize(ctxT(t), db, Policy{Schema: "public", Table: "nope", Command: CommandAll}); !errors.As(err, &nf) {
		t.Errorf("missing table without expressions: %v", err)
	}
	if _, err := Normalize(ctxT(t), db, Policy{Schema: "public", Table: "bookings_view", Command: CommandAll, Using: "true"}); err == nil || !strings.Contains(err.Error(), "is a view") {
		t.Errorf("view: %v", err)
	}
	// The probe carries the roles, so a typo in a role fails the plan too.
	_, err = Normalize(ctxT(t), db, Policy{Schema: "public", Table: "bookings", Command: CommandSelect, Roles: []string{"authenticatd"}})
	if err == nil || !strings.Contains(err.Error(), `role "authenticatd" does not exist`) {
		t.Errorf("unknown role: %v", err)
	}
	_, err = Normalize(ctxT(t), db, Policy{Schema: "public", Table: "bookings", Command: CommandSelect, Using: "no_such_column = 1"})
	if err == nil || !strings.Contains(err.Error(), "no_such_column") || !strings.Contains(err.Error(), "does not exist on the table") {
		t.Errorf("unknown column: %v", err)
	}
}

// A plan takes no lock stronger than ACCESS SHARE on an application table:
// while another session holds EXCLUSIVE (which blocks every lock but ACCESS
// SHARE, as a long migration or bulk write can), normalising neither waits
// nor fails. The same lock makes the old way, a probe policy on the real
// table (ACCESS EXCLUSIVE), time out, which shows the lock is really there.
func TestNormalizeTakesNoConflictingLock(t *testing.T) {
	db := pgtest.NewDB(t, officeHoursSchema).Pool
	ctx := context.Background()
	holder, err := db.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Release()
	if _, err := holder.Exec(ctx, "BEGIN; LOCK TABLE public.bookings IN EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = holder.Exec(ctx, "ROLLBACK") }()

	old := NormalizeLockTimeout
	NormalizeLockTimeout = 200 * time.Millisecond // a wait would fail the test with 55P03
	t.Cleanup(func() { NormalizeLockTimeout = old })
	p := Policy{Schema: "public", Table: "bookings", Name: "x", Command: CommandSelect, Permissive: true, Roles: []string{"authenticated"}, Using: viewOwn}
	norm, err := Normalize(ctx, db, p)
	if err != nil || norm.Using != storedView {
		t.Fatalf("normalise under an EXCLUSIVE lock: %q, %v", norm.Using, err)
	}

	other, err := db.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	_, err = other.Exec(ctx, "SET lock_timeout = '200ms'; CREATE POLICY probe ON public.bookings USING (true)")
	if !IsLockTimeout(err) {
		t.Fatalf("a policy on the real table under the same lock: %v, want a lock timeout", err)
	}
}
