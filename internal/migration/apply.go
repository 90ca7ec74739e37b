package migration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// LockKey is the session advisory lock held while applying, so two applies
// against one database (two terraform runs, or CI jobs) run one after the
// other and the second sees what the first recorded. It is the first 8 bytes
// of sha256("officehours/supabase_migrations").
const LockKey int64 = 0x4d4bd4e38510e1fd

// ApplyOptions adds to Options what only apply needs.
type ApplyOptions struct {
	Options
	// Expect maps version to hash for the files planned; nil applies
	// everything pending. A planned file whose content changed since the
	// plan stops the apply; files added since the plan are left for the
	// next plan, and files another apply ran meanwhile are skipped.
	Expect map[string]string
	// Log receives progress lines (may be nil).
	Log func(msg string, fields map[string]any)
}

// Result is what an apply did, also when it stopped on an error.
type Result struct {
	Applied  []File // ran and recorded, in order
	Recorded []File // recorded as applied without running (baseline)
}

// Apply applies the pending files on conn, a connection of its own (it
// holds a session lock and runs migrations that may change session state;
// close it afterwards rather than returning it to a pool).
func Apply(ctx context.Context, conn *pgx.Conn, files []File, opts ApplyOptions) (*Result, error) {
	logf := opts.Log
	if logf == nil {
		logf = func(string, map[string]any) {}
	}
	res := &Result{}
	unlock, err := lock(ctx, conn, logf)
	if err != nil {
		return res, err
	}
	defer unlock()

	if err := EnsureTable(ctx, conn); err != nil {
		return res, err
	}
	// Re-read under the lock: another apply may have finished meanwhile.
	history, err := ReadHistory(ctx, conn)
	if err != nil {
		return res, err
	}
	plan, err := Compute(files, history, opts.Options)
	if err != nil {
		return res, fmt.Errorf("the migrations changed since the plan; run terraform plan again: %w", err)
	}
	baseline, pending, err := selectPlanned(plan, opts.Expect)
	if err != nil {
		return res, err
	}
	if err := record(ctx, conn, baseline); err != nil {
		return res, err
	}
	res.Recorded = baseline
	for _, f := range pending {
		start := time.Now()
		if err := applyFile(ctx, conn, f); err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, f)
		logf("applied migration", map[string]any{"file": f.Filename, "statements": len(f.Statements), "duration_ms": time.Since(start).Milliseconds()})
	}
	return res, nil
}

// selectPlanned keeps the baseline and pending files the plan showed.
func selectPlanned(plan *Plan, expect map[string]string) (baseline, pending []File, err error) {
	if expect == nil {
		return plan.Baseline, plan.Pending, nil
	}
	keep := func(files []File) ([]File, error) {
		var out []File
		for _, f := range files {
			hash, planned := expect[f.Version]
			switch {
			case !planned: // added after the plan: the next plan shows it
			case hash != f.Hash:
				return nil, fmt.Errorf("%s changed between plan and apply (sha256 %s planned, %s now); run terraform plan again to review the new content", f.Filename, hash, f.Hash)
			default:
				out = append(out, f)
			}
		}
		return out, nil
	}
	if baseline, err = keep(plan.Baseline); err != nil {
		return nil, nil, err
	}
	pending, err = keep(plan.Pending)
	return baseline, pending, err
}

// lock takes the session advisory lock, logging when it has to wait.
func lock(ctx context.Context, conn *pgx.Conn, logf func(string, map[string]any)) (func(), error) {
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", LockKey).Scan(&got); err != nil {
		return nil, fmt.Errorf("taking the migration lock (pg_try_advisory_lock): %w", err)
	}
	if !got {
		logf("another apply holds the migration lock; waiting for it", map[string]any{"lock_key": LockKey})
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", LockKey); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("timed out waiting for the migration lock (pg_advisory_lock(%d)) held by another apply against this database; "+
					"wait for it to finish or raise the timeout: %w", LockKey, ctx.Err())
			}
			return nil, fmt.Errorf("waiting for the migration lock: %w", err)
		}
	}
	return func() {
		// The apply's context may be done; unlocking must still happen.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", LockKey); err != nil {
			// Closing the session releases the lock too.
			conn.Close(ctx)
		}
	}, nil
}

// applyFile runs one file and writes its history row.
func applyFile(ctx context.Context, conn *pgx.Conn, f File) error {
	stmts, err := conn.TypeMap().Encode(pgtype.TextArrayOID, pgtype.TextFormatCode, f.Texts(), nil)
	if err != nil {
		return fmt.Errorf("%s: encoding its statements: %w", f.Filename, err)
	}
	insert := [][]byte{[]byte(f.Version), []byte(f.Name), stmts}
	insertOIDs := []uint32{pgtype.TextOID, pgtype.TextOID, pgtype.TextArrayOID}
	pc := conn.PgConn()
	if f.NoTransaction {
		return applyNoTransaction(ctx, pc, f, insert, insertOIDs)
	}

	// One round trip: BEGIN, RESET ALL (session settings of an earlier file
	// must not leak into this one, as in the CLI), the statements, the
	// history row and COMMIT, pipelined before a single Sync. An error makes
	// the server skip the rest, so nothing of the file is applied.
	b := &pgconn.Batch{}
	b.ExecParams("BEGIN", nil, nil, nil, nil)
	b.ExecParams("RESET ALL", nil, nil, nil, nil)
	for _, s := range f.Statements {
		b.ExecParams(s.Text, nil, nil, nil, nil)
	}
	b.ExecParams(SQLInsert, insert, insertOIDs, nil, nil)
	b.ExecParams("COMMIT", nil, nil, nil, nil)
	const lead = 2 // BEGIN and RESET ALL
	// The reader stops at the first error, so the results are those of the
	// commands that succeeded and the failing one is next.
	results, err := pc.ExecBatch(ctx, b).ReadAll()
	if err == nil {
		return nil
	}
	failed := len(results)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		failed = -1 // the connection failed; no statement to blame
	}
	if pc.TxStatus() != 'I' && !pc.IsClosed() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		_, _ = pc.Exec(rctx, "ROLLBACK").ReadAll()
		cancel()
	}
	if failed >= 0 {
		failed -= lead
	}
	return newApplyError(f, failed, err)
}

// applyNoTransaction runs a directive file statement by statement, then
// records it; a failure leaves the statements before it applied.
func applyNoTransaction(ctx context.Context, pc *pgconn.PgConn, f File, insert [][]byte, oids []uint32) error {
	if _, err := pc.Exec(ctx, "RESET ALL").ReadAll(); err != nil {
		return newApplyError(f, -1, err)
	}
	for i, s := range f.Statements {
		if _, err := pc.Exec(ctx, s.Text).ReadAll(); err != nil {
			return newApplyError(f, i, err)
		}
	}
	if err := pc.ExecParams(ctx, SQLInsert, insert, oids, nil, nil).Read().Err; err != nil {
		return newApplyError(f, len(f.Statements), err)
	}
	return nil
}

// IsPgCode reports whether err is a PostgreSQL error with that SQLSTATE.
func IsPgCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}
