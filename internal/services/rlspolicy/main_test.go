package rlspolicy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

// The CF Office Hours users and bookings, with one mentor and two mentees.
const (
	mentor  = "00000000-0000-4000-8000-00000000000a"
	menteeA = "00000000-0000-4000-8000-00000000000b"
	menteeB = "00000000-0000-4000-8000-00000000000c"

	officeHoursSchema = `
CREATE TABLE public.users (id uuid PRIMARY KEY, role text NOT NULL CHECK (role IN ('mentor', 'mentee')));
CREATE TABLE public.bookings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mentor_id uuid NOT NULL REFERENCES public.users(id),
  mentee_id uuid NOT NULL REFERENCES public.users(id),
  starts_at timestamptz NOT NULL DEFAULT now());
INSERT INTO public.users VALUES
  ('` + mentor + `', 'mentor'), ('` + menteeA + `', 'mentee'), ('` + menteeB + `', 'mentee');
INSERT INTO public.bookings (mentor_id, mentee_id) VALUES
  ('` + mentor + `', '` + menteeA + `'), ('` + mentor + `', '` + menteeB + `');`

	viewOwn   = "mentor_id = auth.uid() OR mentee_id = auth.uid()"
	createOwn = "mentee_id = auth.uid() AND EXISTS (SELECT 1 FROM users WHERE id = auth.uid() AND role = 'mentee')"
)

// testDB is one fresh fixture database for one test.
type testDB struct{ *pgtest.DB }

func newDB(t testing.TB, schemaSQL string) *testDB {
	t.Helper()
	return &testDB{pgtest.NewDB(t, schemaSQL)}
}

// policy reads a policy back the provider's way, or nil.
func (db *testDB) policy(t *testing.T, schema, table, name string) *policysql.Policy {
	t.Helper()
	p, err := policysql.ReadPolicy(context.Background(), db.Pool, schema, table, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (db *testDB) policyNames(t testing.TB, schema, table string) []string {
	t.Helper()
	all, err := policysql.ReadPolicies(context.Background(), db.Pool, schema, table)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range all {
		names = append(names, p.Name)
	}
	return names
}

// as runs fn in a transaction as role with a Supabase JWT for sub (none
// when sub is empty), the way PostgREST does, and rolls it back.
func (db *testDB) as(t *testing.T, role, sub string, fn func(tx pgx.Tx)) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { // before the next query as another role
		if err := tx.Rollback(ctx); err != nil {
			t.Errorf("rolling back: %v", err)
		}
	}()
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+role); err != nil {
		t.Fatal(err)
	}
	if sub != "" {
		claims, _ := json.Marshal(map[string]string{"sub": sub, "role": role})
		if _, err := tx.Exec(ctx, "SELECT set_config('request.jwt.claims', $1, true)", string(claims)); err != nil {
			t.Fatal(err)
		}
	}
	fn(tx)
}

// visibleBookings lists "mentor>mentee" pairs the session can see, sorted.
func visibleBookings(t *testing.T, tx pgx.Tx) []string {
	t.Helper()
	rows, err := tx.Query(context.Background(), "SELECT mentor_id::text || '>' || mentee_id::text FROM bookings")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// hcl quotes s as an HCL string literal.
func hcl(s string) string {
	q := strconv.Quote(s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
}

// policyConfig is the HCL of one officehours_rls_policy; attrs are extra
// "key = value" lines written as is.
func policyConfig(label, table, name string, attrs ...string) string {
	return fmt.Sprintf("resource \"officehours_rls_policy\" %q {\n  table = %s\n  name  = %s\n  %s\n}\n",
		label, table, hcl(name), strings.Join(attrs, "\n  "))
}

// officeHoursConfig is the CF Office Hours setup: RLS on bookings and the
// two policies, with the expressions given.
func officeHoursConfig(db *testDB, view, create string, extra ...string) string {
	return acctest.ProviderBlock(nil, db.URL) + `
resource "officehours_table_rls" "bookings" {
  table = "bookings"
}
` + policyConfig("view_own", "officehours_table_rls.bookings.table", "Users can view own bookings",
		`command = "SELECT"`, `roles = ["authenticated"]`, "using = "+hcl(view)) +
		policyConfig("create_own", "officehours_table_rls.bookings.table", "Mentees can create bookings",
			`command = "INSERT"`, `roles = ["authenticated"]`, "with_check = "+hcl(create)) +
		strings.Join(extra, "\n")
}
