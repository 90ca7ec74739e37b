package clients

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DatabaseConfig builds the pgx pool configuration for a connection string
// as Supabase shows it.
//
// A database on a host other than loopback is reached over TLS unless the
// URL says otherwise: pgx's default sslmode "prefer" silently falls back to
// plaintext, which would send the password in the clear.
func DatabaseConfig(connString string) (*pgxpool.Config, error) {
	connString, err := requireTLSOffLoopback(connString)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// pgx errors can echo the connection string; never pass them on.
		return nil, fmt.Errorf("the database URL is not a valid PostgreSQL connection string (expected postgresql://user:password@host:port/dbname)")
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "terraform-provider-officehours"
	return cfg, nil
}

func requireTLSOffLoopback(connString string) (string, error) {
	u, err := url.Parse(connString)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("the database URL must be a postgresql:// URL as Supabase shows it")
	}
	q := u.Query()
	if q.Get("sslmode") != "" || isLoopback(u.Hostname()) {
		return connString, nil
	}
	q.Set("sslmode", "require")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func openPool(ctx context.Context, connString string) (*pgxpool.Pool, error) {
	cfg, err := DatabaseConfig(connString)
	if err != nil {
		return nil, err
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}
