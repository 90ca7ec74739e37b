package pgtest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CreateDatabase clones the fixture template into a new database owned by
// postgres and returns the owner URL for it.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	conn, err := c.connectAdmin(ctx, "postgres")
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	sql := "create database " + pgx.Identifier{name}.Sanitize() + " template " + templateDB + " owner " + ownerUser
	if _, err := conn.Exec(ctx, sql); err != nil {
		return "", fmt.Errorf("pgtest: create database %q: %w", name, err)
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
		return fmt.Errorf("pgtest: drop database %q: %w", name, err)
	}
	return nil
}

func (c *Cluster) connectAdmin(ctx context.Context, database string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, c.AdminURL(database))
	if err != nil {
		return nil, fmt.Errorf("pgtest: connecting as %s to %s: %w", adminUser, database, err)
	}
	return conn, nil
}
