package pgcluster

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// DatabaseStatementTimeout is a hosted project's statement timeout for its
// database (the Supabase fidelity review); a clone does not inherit the
// template's database settings, so each database gets it when created.
const DatabaseStatementTimeout = "2min"

// CreateDatabase clones today's fixture into a new database owned by
// postgres and returns the owner URL for it.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	return c.CreateDatabaseFrom(ctx, name, Today)
}

// CreateDatabaseFrom clones template t.
func (c *Cluster) CreateDatabaseFrom(ctx context.Context, name string, t Template) (string, error) {
	conn, err := c.connectAdmin(ctx, "postgres")
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	db := pgx.Identifier{name}.Sanitize()
	for _, sql := range []string{
		"create database " + db + " template " + string(t) + " owner " + ownerUser,
		"alter database " + db + " set statement_timeout = '" + DatabaseStatementTimeout + "'",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", fmt.Errorf("pgcluster: create database %q: %w", name, err)
		}
	}
	return c.URL(name), nil
}

// DropDatabase drops a database, terminating its open connections.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	conn, err := c.connectAdmin(ctx, "postgres")
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "drop database if exists "+pgx.Identifier{name}.Sanitize()+" with (force)"); err != nil {
		return fmt.Errorf("pgcluster: drop database %q: %w", name, err)
	}
	return nil
}

func (c *Cluster) connectAdmin(ctx context.Context, database string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, c.AdminURL(database))
	if err != nil {
		return nil, fmt.Errorf("pgcluster: connecting as %s to %s: %w", adminUser, database, err)
	}
	return conn, nil
}
