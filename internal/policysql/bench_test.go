package policysql

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

// benchDB is a pool on a fresh fixture database with the CF Office Hours
// tables and the insert policy, for per-call figures.
func benchDB(b *testing.B) *pgxpool.Pool {
	pool, err := pgxpool.New(context.Background(), pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := pool.Exec(context.Background(), officeHoursSchema+`
CREATE POLICY "Mentees can create bookings" ON public.bookings FOR INSERT TO authenticated WITH CHECK (`+createOwn+`)`); err != nil {
		b.Fatal(err)
	}
	return pool
}

// BenchmarkNormalize is the plan-time cost per policy: one rolled-back
// transaction with a probe CREATE POLICY.
func BenchmarkNormalize(b *testing.B) {
	pool := benchDB(b)
	p := Policy{Schema: "public", Table: "bookings", Command: CommandInsert, Roles: []string{"authenticated"}, WithCheck: createOwn}
	for b.Loop() {
		if _, err := Normalize(context.Background(), pool, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPolicy is the refresh cost per policy.
func BenchmarkReadPolicy(b *testing.B) {
	pool := benchDB(b)
	for b.Loop() {
		if p, err := ReadPolicy(context.Background(), pool, "public", "bookings", "Mentees can create bookings"); err != nil || p == nil {
			b.Fatal(p, err)
		}
	}
}
