package localstorage

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// user is who a request is from: its JWT's claims and the token itself.
type user struct {
	claims  Claims
	payload json.RawMessage
	token   string
}

// asRole runs fn in a transaction as the request's role, with the settings
// Storage gives each request (supabase/storage src/internal/database/
// postgres/scope.ts): the policies on storage.objects and storage.buckets
// see auth.uid(), auth.role() and auth.jwt() as for the Data API.
func (s *Server) asRole(ctx context.Context, u user, operation string, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.scope(ctx, tx, u, operation); err != nil {
			return err
		}
		return fn(tx)
	})
}

// testAsRole runs fn as the request's role and rolls it back: Storage's
// testPermission, which asks the policies before an upload is stored
// (src/storage/uploader.ts canUpload).
func (s *Server) testAsRole(ctx context.Context, u user, operation string, fn func(pgx.Tx) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := s.scope(ctx, tx, u, operation); err != nil {
		return err
	}
	return fn(tx)
}

// scope sets the request's role and claims for the rest of tx.
func (s *Server) scope(ctx context.Context, tx pgx.Tx, u user, operation string) error {
	_, err := tx.Exec(ctx, `SELECT set_config('role', $1, true),
		set_config('request.jwt.claim.role', $2, true),
		set_config('request.jwt', $3, true),
		set_config('request.jwt.claim.sub', $4, true),
		set_config('request.jwt.claims', $5, true),
		set_config('request.headers', $6, true),
		set_config('request.method', $7, true),
		set_config('request.path', $8, true),
		set_config('storage.operation', $9, true),
		set_config('storage.allow_delete_query', 'true', true)`,
		u.claims.Role, u.claims.Role, u.token, u.claims.Subject, string(u.payload), "{}", "", "", operation)
	return err
}

// asSuperUser runs fn as supabase_storage_admin itself, as Storage does for
// the lookups that must not depend on the caller's policies (a bucket's
// limits before an upload, the object count before a bucket is deleted).
func (s *Server) asSuperUser(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('storage.allow_delete_query', 'true', true)"); err != nil {
			return err
		}
		return fn(tx)
	})
}
