package policysql

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
)

// DB is what the functions here need from a connection: *pgxpool.Pool,
// *pgx.Conn and pgx.Tx (a savepoint) all satisfy it.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Lock timeouts. Writes wait for another apply's advisory lock; a plan takes
// no lock stronger than ACCESS SHARE, and gives up quickly rather than
// queueing behind a migration that holds ACCESS EXCLUSIVE.
var (
	WriteLockTimeout     = 15 * time.Second
	NormalizeLockTimeout = 3 * time.Second
)

// SearchPath is the search_path pinned for every statement on a table in
// schema: its own schema, then public and extensions, without "$user", and
// pg_temp last, so that the temporary copy Normalize makes never shadows a
// real table. It decides how unqualified names in expressions resolve and
// how stored expressions print, so plans do not depend on the connecting role.
func SearchPath(schema string) (string, error) {
	q, err := pgident.QuoteIdent(schema)
	if err != nil {
		return "", fmt.Errorf("schema: %w", err)
	}
	switch schema {
	case "public":
		return "public, extensions, pg_temp", nil
	case "extensions":
		return "extensions, public, pg_temp", nil
	}
	return q + ", public, extensions, pg_temp", nil
}

// AdvisoryKey is the pg_advisory_xact_lock key for a table: a hash of its
// import ID, the same in every process, so two applies serialise too.
func AdvisoryKey(schema, table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("officehours/rls/" + pgident.FormatID(schema, table)))
	return int64(h.Sum64())
}

// tableLocks serialises this process's catalog work per table. Terraform
// applies resources in parallel; concurrent DDL on one table's catalog rows
// otherwise fails with "tuple concurrently updated" or queues in the server
// behind lock_timeout.
var tableLocks = keyedMutex{m: map[string]*keyedEntry{}}

type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	ch   chan struct{} // holds one token while locked
	refs int
}

// lock blocks until key is free or ctx ends; the caller must call unlock.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{ch: make(chan struct{}, 1)}
		k.m[key] = e
	}
	e.refs++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return func() { <-e.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

func tableKey(schema, table string) string { return pgident.FormatID(schema, table) }

// begin opens a transaction with search_path and lock_timeout set locally.
func begin(ctx context.Context, db DB, schema string, lockTimeout time.Duration) (pgx.Tx, error) {
	path, err := SearchPath(schema)
	if err != nil {
		return nil, err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	_, err = tx.Exec(ctx, "SELECT pg_catalog.set_config('search_path', $1, true), pg_catalog.set_config('lock_timeout', $2, true)",
		path, fmt.Sprintf("%dms", lockTimeout.Milliseconds()))
	if err != nil {
		_ = tx.Rollback(ctx)
		return nil, fmt.Errorf("set search_path and lock_timeout: %w", err)
	}
	return tx, nil
}

// WithTableWrite runs fn in a transaction that changes the catalog of one
// table, and commits when fn returns nil. It holds the in-process lock for
// the table and pg_advisory_xact_lock on AdvisoryKey, so writes to one
// table from this and other processes run one at a time.
func WithTableWrite(ctx context.Context, db DB, schema, table string, fn func(tx pgx.Tx) error) error {
	unlock, err := tableLocks.lock(ctx, tableKey(schema, table))
	if err != nil {
		return fmt.Errorf("wait for other changes to %s.%s in this apply: %w", schema, table, err)
	}
	defer unlock()
	tx, err := begin(ctx, db, schema, WriteLockTimeout)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SELECT pg_catalog.pg_advisory_xact_lock($1)", AdvisoryKey(schema, table)); err != nil {
		return Explain(fmt.Errorf("take the advisory lock for %s.%s (another apply may be changing it): %w", schema, table, err))
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return Explain(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// withReadTx runs fn in a transaction with the pinned search_path that is
// always rolled back.
func withReadTx(ctx context.Context, db DB, schema string, fn func(tx pgx.Tx) error) error {
	tx, err := begin(ctx, db, schema, WriteLockTimeout)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	return fn(tx)
}

// ExecDDL runs one statement through the extended protocol, which refuses
// more than one command, so an expression cannot smuggle in a second
// statement even past CheckExpression.
func ExecDDL(ctx context.Context, tx pgx.Tx, sql string) error {
	_, err := tx.Conn().PgConn().ExecParams(ctx, sql, nil, nil, nil, nil).Close()
	if err != nil {
		return Explain(fmt.Errorf("%s: %w", firstLine(sql), err))
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
