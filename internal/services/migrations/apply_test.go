package migrations_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
)

// TestAccMigrations_concurrentApplies runs two terraform applies of the
// same migrations against one database at the same time. The test holds
// the migration lock until both applies wait for it, so both have planned
// every file as pending; each file must still run exactly once.
func TestAccMigrations_concurrentApplies(t *testing.T) {
	db := newDB(t)
	db.Exec(t, "create table public.migration_runs (version text not null)")
	dir := t.TempDir()
	for _, v := range []string{"20240701000000", "20240701000100", "20240701000200"} {
		writeFile(t, dir, v+"_step.sql", fmt.Sprintf("insert into public.migration_runs values ('%s');\ncreate table public.t_%s (id int);\n", v, v))
	}

	holder, err := pgx.Connect(context.Background(), db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(context.Background())
	if _, err := holder.Exec(context.Background(), "select pg_advisory_lock($1)", migration.LockKey); err != nil {
		t.Fatal(err)
	}
	released := make(chan error, 1)
	go func() { released <- releaseWhenWaiting(db, holder, 2, time.Minute) }()

	t.Run("runs", func(t *testing.T) {
		for _, name := range []string{"first", "second"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
					Config:           config(db, dir),
					ConfigPlanChecks: planned(expect("pending", knownvalue.ListSizeExact(3))),
				}}})
			})
		}
	})
	if err := <-released; err != nil {
		t.Fatal(err)
	}
	var runs, distinct int
	if err := db.Pool.QueryRow(context.Background(), "select count(*), count(distinct version) from public.migration_runs").Scan(&runs, &distinct); err != nil {
		t.Fatal(err)
	}
	if runs != 3 || distinct != 3 || len(db.history(t)) != 3 {
		t.Fatalf("%d runs of %d distinct migrations, %d history rows; want each of the 3 exactly once", runs, distinct, len(db.history(t)))
	}
}

// releaseWhenWaiting unlocks holder's migration lock once n sessions wait
// for it; it unlocks anyway and reports an error after timeout.
func releaseWhenWaiting(db *testDB, holder *pgx.Conn, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var waiting int
	for time.Now().Before(deadline) {
		if err := db.Pool.QueryRow(context.Background(),
			"select count(*) from pg_locks where locktype = 'advisory' and not granted").Scan(&waiting); err != nil {
			return err
		}
		if waiting >= n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := holder.Exec(context.Background(), "select pg_advisory_unlock($1)", migration.LockKey); err != nil {
		return err
	}
	if waiting < n {
		return fmt.Errorf("only %d applies waited for the migration lock within %s; the test did not exercise concurrency", waiting, timeout)
	}
	return nil
}

// TestAccMigrations_noTransactionDirective: CREATE INDEX CONCURRENTLY in a
// transactional file stops the plan with the way out; with the directive
// on its first line the file applies and is recorded.
func TestAccMigrations_noTransactionDirective(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t, vUsers, vBookings)
	const name = "20240601090500_bookings_topic_index.sql"
	const index = "create index concurrently if not exists bookings_topic_idx on public.bookings (topic);\n"
	writeFile(t, dir, name, index)
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config: config(db, dir), PlanOnly: true,
			ExpectError: phrases("Migration cannot be applied safely", name+": statement 1 (line 1)",
				"cannot run inside a transaction", "whose first line is", "-- pg-delta: transaction=false"),
		},
		{
			PreConfig: func() { writeFile(t, dir, name, migration.DirectiveCLINoTransaction+"\n"+index) },
			Config:    config(db, dir),
			Check: checkDB(func() error {
				if !db.exists(t, "public.bookings_topic_idx") {
					return fmt.Errorf("index missing")
				}
				return db.checkHistoryIsCLIs(t, files(t, dir))
			}),
		},
	}})
}

// TestAccMigrations_transactionPoolerRefused: port 6543 is refused at plan
// time with the reason and the URLs to use instead.
func TestAccMigrations_transactionPoolerRefused(t *testing.T) {
	db := newDB(t)
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = net.JoinHostPort(u.Hostname(), "6543")
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: config(&testDB{&pgtest.DB{URL: u.String()}}, migrationsDir(t)), PlanOnly: true,
		ExpectError: phrases("Invalid database URL", "port 6543", "session-level advisory lock",
			"Use the session pooler", "port 5432"),
	}}})
}

// TestAccMigrations_unknownDatabaseURL: when the database URL comes from
// a resource created in the same run, the plan shows the pending list and
// latest version as known after apply, and the apply runs everything.
func TestAccMigrations_unknownDatabaseURL(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "database" {
  input = %q
}
provider "officehours" {
  database = {
    url = terraform_data.database.output
  }
}
resource "officehours_database_migrations" "schema" {
  directory = %q
}
`, db.URL, dir)
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: cfg,
		ConfigPlanChecks: planned(
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("pending")),
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("latest_version")),
		),
		ConfigStateChecks: stateChecks(
			expectState("pending", listOf(files(t, dir)...)),
			expectState("latest_version", knownvalue.StringExact(vView)),
		),
		Check: checkDB(func() error { return db.checkHistoryIsCLIs(t, files(t, dir)) }),
	}}})
}

// TestAccMigrations_dataSource reports applied, pending and unknown
// versions and the latest applied one.
func TestAccMigrations_dataSource(t *testing.T) {
	db := newDB(t)
	dir := migrationsDir(t)
	db.Exec(t, `create schema supabase_migrations;
create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
insert into supabase_migrations.schema_migrations (version, name) values
  ('20230101000000', 'from_another_branch'), ('`+vUsers+`', 'users'), ('`+vBookings+`', 'bookings');`)
	strs := func(v ...string) knownvalue.Check {
		c := []knownvalue.Check{}
		for _, s := range v {
			c = append(c, knownvalue.StringExact(s))
		}
		return knownvalue.ListExact(c)
	}
	const ds = "data.officehours_database_migrations.status"
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: acctest.ProviderBlock(nil, db.URL) + fmt.Sprintf("data \"officehours_database_migrations\" \"status\" {\n  directory = %q\n}\n", dir),
		ConfigStateChecks: stateChecks(
			expectStateOf(ds, "applied_versions", strs("20230101000000", vUsers, vBookings)),
			expectStateOf(ds, "pending_versions", strs(vTrigger, vRLS, vView)),
			expectStateOf(ds, "missing_files", strs("20230101000000")),
			expectStateOf(ds, "latest_version", knownvalue.StringExact(vBookings)),
		),
	}}})
	if got := strings.Join(db.versions(t), ","); got != "20230101000000,"+vUsers+","+vBookings {
		t.Fatalf("the data source changed the history: %s", got)
	}
}
