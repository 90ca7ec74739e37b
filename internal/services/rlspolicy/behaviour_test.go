package rlspolicy_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// grants are what CF Office Hours grants its API roles. Since 2026-10-30
// Supabase grants a new table to none of them (changelog #45329), so who
// reaches a row is grants and policies together. anon is granted SELECT too,
// to show that the policies, not a missing grant, keep it out.
const grants = `
resource "officehours_table_grant" "bookings_authenticated" {
  table      = "bookings"
  role       = "authenticated"
  privileges = ["SELECT", "INSERT"]
}

resource "officehours_table_grant" "bookings_anon" {
  table      = "bookings"
  role       = "anon"
  privileges = ["SELECT"]
}

resource "officehours_table_grant" "bookings_service_role" {
  table      = "bookings"
  role       = "service_role"
  privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
}

resource "officehours_table_grant" "users_authenticated" {
  table      = "users"
  role       = "authenticated"
  privileges = ["SELECT"]
}
`

// TestAccRLSPolicy_behaviour applies the CF Office Hours grants and
// policies and then proves, as the API roles PostgREST uses, that they do
// what they say.
func TestAccRLSPolicy_behaviour(t *testing.T) {
	db := newDB(t, officeHoursSchema)
	bookingOf := func(mentee string) string { return mentor + ">" + mentee }
	checks := func(*terraform.State) error {
		db.as(t, "authenticated", menteeA, func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); !slices.Equal(got, []string{bookingOf(menteeA)}) {
				t.Errorf("mentee A sees %q, want only their own booking", got)
			}
			if err := insertAs(tx, menteeB); !isRLSViolation(err) {
				t.Errorf("mentee A booking for mentee B: %v, want a row level security violation", err)
			}
			if err := insertAs(tx, menteeA); err != nil {
				t.Errorf("mentee A booking for themselves: %v", err)
			}
		})
		db.as(t, "authenticated", mentor, func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); len(got) != 2 {
				t.Errorf("mentor sees %q, want both bookings they mentor", got)
			}
			// The mentor is not a mentee, so the EXISTS check refuses them.
			if err := insertAs(tx, mentor); !isRLSViolation(err) {
				t.Errorf("mentor booking themselves as mentee: %v, want a row level security violation", err)
			}
		})
		db.as(t, "authenticated", "", func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); len(got) != 0 {
				t.Errorf("authenticated without a user id sees %q", got)
			}
		})
		db.as(t, "anon", "", func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); len(got) != 0 {
				t.Errorf("anon sees %q, want nothing", got)
			}
		})
		db.as(t, "anon", menteeA, func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); len(got) != 0 {
				t.Errorf("anon with mentee A's id sees %q; the policies are for authenticated only", got)
			}
		})
		db.as(t, "service_role", "", func(tx pgx.Tx) {
			if got := visibleBookings(t, tx); len(got) != 2 {
				t.Errorf("service_role sees %q, want every booking (BYPASSRLS)", got)
			}
			if err := insertAs(tx, menteeB); err != nil {
				t.Errorf("service_role insert: %v", err)
			}
		})
		return nil
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Before Terraform: no grants, so every API role is refused outright.
					for _, role := range []string{"anon", "authenticated", "service_role"} {
						db.as(t, role, menteeA, func(tx pgx.Tx) {
							if _, err := tx.Exec(context.Background(), "SELECT 1 FROM bookings"); !isPermissionDenied(err) {
								t.Fatalf("baseline: %s reads bookings (%v); today's Supabase grants new tables to no API role", role, err)
							}
						})
					}
				},
				Config: officeHoursConfig(db, viewOwn, createOwn, grants),
				Check:  checks,
			},
		},
	})
}

// insertAs inserts a booking with the session's mentor for mentee inside
// a savepoint, so a refused insert does not abort the transaction.
func insertAs(tx pgx.Tx, mentee string) error {
	ctx := context.Background()
	if _, err := tx.Exec(ctx, "SAVEPOINT before_insert"); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "INSERT INTO bookings (mentor_id, mentee_id) VALUES ($1, $2)", mentor, mentee)
	if err != nil {
		if _, rbErr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT before_insert"); rbErr != nil {
			return fmt.Errorf("%w (and rolling back to the savepoint failed: %w)", err, rbErr)
		}
	}
	return err
}

// isRLSViolation reports "new row violates row-level security policy".
func isRLSViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "42501" && strings.Contains(pg.Message, "row-level security")
}

// isPermissionDenied reports a missing grant: "permission denied for table".
func isPermissionDenied(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "42501" && strings.Contains(pg.Message, "permission denied")
}
