package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DBCounter counts what a step did to one database, from the server's own
// statistics, read over a superuser connection to the maintenance database
// (so its own queries are never counted):
//   - statements: pg_stat_statements calls by the owner role "postgres" in
//     that database (every statement, BEGIN and COMMIT included), when the
//     extension could be loaded;
//   - transactions and sessions: pg_stat_database (xact_commit +
//     xact_rollback, sessions), which backends flush when they exit.
type DBCounter struct {
	conn       *pgx.Conn
	statements bool
	role       string
}

// DBMark is the state of the counters before a step.
type DBMark struct {
	db              string
	xacts, sessions int64
}

// DBDelta is what one step did. Statements and Normalisations are -1 when
// pg_stat_statements is not available.
type DBDelta struct {
	Statements int64
	// Normalisations counts the policy normaliser's statements (the
	// temporary copy of a table and the probe policy on it, see
	// policysql.Normalize): a plan with no policy change should send none.
	Normalisations int64
	Xacts          int64
	Sessions       int64
}

// OpenDBCounter connects with adminURL (a superuser, database "postgres").
// withStatements says pg_stat_statements is preloaded; the extension is
// then created in the maintenance database.
func OpenDBCounter(ctx context.Context, adminURL, role string, withStatements bool) (*DBCounter, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("bench: connecting to count database work: %w", err)
	}
	c := &DBCounter{conn: conn, role: role}
	if withStatements {
		if _, err := conn.Exec(ctx, "create extension if not exists pg_stat_statements"); err == nil {
			c.statements = true
		}
	}
	return c, nil
}

// Statements reports whether statement counts are available.
func (c *DBCounter) Statements() bool { return c.statements }

// Close closes the connection.
func (c *DBCounter) Close() { c.conn.Close(context.Background()) }

// Begin resets statement counts and reads the counters of database db.
func (c *DBCounter) Begin(ctx context.Context, db string) (DBMark, error) {
	if err := c.quiesce(ctx, db); err != nil {
		return DBMark{}, err
	}
	if c.statements {
		if _, err := c.conn.Exec(ctx, "select pg_stat_statements_reset()"); err != nil {
			return DBMark{}, fmt.Errorf("bench: resetting pg_stat_statements: %w", err)
		}
	}
	m := DBMark{db: db}
	var err error
	m.xacts, m.sessions, err = c.databaseCounters(ctx, db)
	return m, err
}

// End waits until the step's connections to the database have closed (and
// so flushed their statistics) and returns what changed since m.
func (c *DBCounter) End(ctx context.Context, m DBMark) (DBDelta, error) {
	if err := c.quiesce(ctx, m.db); err != nil {
		return DBDelta{}, err
	}
	d := DBDelta{Statements: -1, Normalisations: -1}
	xacts, sessions, err := c.databaseCounters(ctx, m.db)
	if err != nil {
		return d, err
	}
	d.Xacts, d.Sessions = xacts-m.xacts, sessions-m.sessions
	if c.statements {
		err := c.conn.QueryRow(ctx, `select coalesce(sum(s.calls), 0)::bigint
			from pg_stat_statements s join pg_database d on d.oid = s.dbid
			where d.datname = $1 and s.userid = to_regrole($2)`, m.db, c.role).Scan(&d.Statements)
		if err != nil {
			return d, fmt.Errorf("bench: reading pg_stat_statements: %w", err)
		}
		err = c.conn.QueryRow(ctx, `select coalesce(sum(s.calls), 0)::bigint
			from pg_stat_statements s join pg_database d on d.oid = s.dbid
			where d.datname = $1 and s.userid = to_regrole($2)
			and (s.query ilike 'create temporary table %' or s.query ilike '%officehours_normalize_%')`, m.db, c.role).Scan(&d.Normalisations)
		if err != nil {
			return d, fmt.Errorf("bench: reading pg_stat_statements: %w", err)
		}
	}
	return d, nil
}

func (c *DBCounter) databaseCounters(ctx context.Context, db string) (xacts, sessions int64, err error) {
	if _, err := c.conn.Exec(ctx, "select pg_stat_clear_snapshot()"); err != nil {
		return 0, 0, err
	}
	err = c.conn.QueryRow(ctx, `select coalesce(xact_commit + xact_rollback, 0), coalesce(sessions, 0)
		from pg_stat_database where datname = $1`, db).Scan(&xacts, &sessions)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bench: reading pg_stat_database: %w", err)
	}
	return xacts, sessions, nil
}

// quiesce waits (at most 5 s) until no session of the role is connected to
// db: a backend flushes its statistics when it exits, slightly after the
// client that closed it.
func (c *DBCounter) quiesce(ctx context.Context, db string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		err := c.conn.QueryRow(ctx, `select count(*) from pg_stat_activity
			where datname = $1 and usename = $2 and pid <> pg_backend_pid()`, db, c.role).Scan(&n)
		if err != nil {
			return fmt.Errorf("bench: reading pg_stat_activity: %w", err)
		}
		if n == 0 || time.Now().After(deadline) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}
