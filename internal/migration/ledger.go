package migration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The Supabase CLI's statements, verbatim, so the table is the one the CLI
// creates and the rows are the ones it writes.
const (
	sqlLockTimeout  = "SET LOCAL lock_timeout = '4s'"
	sqlCreateSchema = "CREATE SCHEMA IF NOT EXISTS supabase_migrations"
	sqlCreateTable  = "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)"
	sqlAddStmts     = "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]"
	sqlAddName      = "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text"
	// SQLInsert names only the CLI's three columns: hosted projects add
	// created_by, idempotency_key and rollback, all nullable.
	SQLInsert = "INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES($1, $2, $3)"

	// Whether the table already has the CLI's columns. Checked first so an
	// existing table owned by another role needs no ALTER privilege.
	sqlProvisioned = `SELECT count(*) = 3 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
WHERE a.attrelid = pg_catalog.to_regclass('supabase_migrations.schema_migrations') AND c.relkind IN ('r', 'p')
AND NOT a.attisdropped AND a.attname IN ('version', 'name', 'statements')`

	// One query for the whole history, whatever the table's shape: to_jsonb
	// of the row carries whichever columns exist.
	sqlHistory = "SELECT to_jsonb(m) FROM supabase_migrations.schema_migrations m"
)

// Querier is what the read functions need: *pgx.Conn, *pgxpool.Pool and
// pgx.Tx all qualify.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// ReadHistory reads every history row with one query. A database without
// the table (never migrated) has an empty history.
func ReadHistory(ctx context.Context, q Querier) ([]HistoryRow, error) {
	rows, err := q.Query(ctx, sqlHistory)
	if err != nil {
		return nil, historyErr(err)
	}
	raw, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, historyErr(err)
	}
	out := make([]HistoryRow, 0, len(raw))
	for _, b := range raw {
		var r struct {
			Version    *string   `json:"version"`
			Name       *string   `json:"name"`
			Statements []*string `json:"statements"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("reading supabase_migrations.schema_migrations: unexpected row %s: %w", b, err)
		}
		if r.Version == nil {
			return nil, fmt.Errorf("reading supabase_migrations.schema_migrations: a row has no version: %s", b)
		}
		row := HistoryRow{Version: *r.Version, NoStatements: r.Statements == nil, Statements: make([]string, len(r.Statements))}
		if r.Name != nil {
			row.Name = *r.Name
		}
		for i, s := range r.Statements {
			if s != nil {
				row.Statements[i] = *s
			}
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func historyErr(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "3F000") {
		return nil // undefined table or schema
	}
	return fmt.Errorf("reading the migration history (supabase_migrations.schema_migrations): %w", err)
}

// EnsureTable creates the history table as the Supabase CLI does, unless it
// already has the CLI's columns.
func EnsureTable(ctx context.Context, conn *pgx.Conn) error {
	var ok bool
	if err := conn.QueryRow(ctx, sqlProvisioned).Scan(&ok); err != nil {
		return fmt.Errorf("checking for the migration history table: %w", err)
	}
	if ok {
		return nil
	}
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, s := range []string{sqlLockTimeout, sqlCreateSchema, sqlCreateTable, sqlAddStmts, sqlAddName} {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("creating the migration history table supabase_migrations.schema_migrations: %w", err)
	}
	return nil
}

// record inserts history rows for files without running them (baseline).
func record(ctx context.Context, conn *pgx.Conn, files []File) error {
	if len(files) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, f := range files {
			b.Queue(SQLInsert, f.Version, f.Name, f.Texts())
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("recording baseline migrations in the history table: %w", err)
		}
		return nil
	})
}
