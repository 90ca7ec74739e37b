package policysql

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }

// officeHoursSchema is the part of the CF Office Hours schema the policies
// refer to.
const officeHoursSchema = `
CREATE TABLE public.users (id uuid PRIMARY KEY, role text NOT NULL CHECK (role IN ('mentor', 'mentee')));
CREATE TABLE public.bookings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mentor_id uuid NOT NULL REFERENCES public.users(id),
  mentee_id uuid NOT NULL REFERENCES public.users(id),
  starts_at timestamptz NOT NULL);
CREATE VIEW public.bookings_view AS SELECT * FROM public.bookings;`

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// create creates p the way the resource does.
func create(t *testing.T, db DB, p Policy) {
	t.Helper()
	sql, err := CreateSQL(p)
	if err != nil {
		t.Fatal(err)
	}
	err = WithTableWrite(ctxT(t), db, p.Schema, p.Table, func(tx pgx.Tx) error { return ExecDDL(ctxT(t), tx, sql) })
	if err != nil {
		t.Fatalf("create %q: %v", p.Name, err)
	}
}

func read(t *testing.T, db DB, schema, table, name string) *Policy {
	t.Helper()
	p, err := ReadPolicy(ctxT(t), db, schema, table, name)
	if err != nil {
		t.Fatalf("read %q: %v", name, err)
	}
	return p
}
