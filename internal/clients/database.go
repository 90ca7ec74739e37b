package clients

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultMaxConnections bounds the provider's pool. Supabase's session
// pooler admits about 15 clients per project (pool size, the fidelity
// review), and the provider shares them with the application.
const DefaultMaxConnections = 5

// TransactionPoolerPort is Supabase's transaction-mode pooler (Supavisor).
const TransactionPoolerPort = 6543

// directHost is Supabase's direct database host, db.<project-ref>.supabase.co,
// which has an IPv6 address only (the Supabase CLI probes it and falls back
// to the pooler for that reason).
var directHost = regexp.MustCompile(`^db\.([a-z0-9]+)\.supabase\.co$`)

// DatabaseConfig builds the pgx pool configuration for a connection string
// as Supabase shows it.
//
// A database on a host other than loopback is reached over TLS unless the
// URL says otherwise: pgx's default sslmode "prefer" silently falls back to
// plaintext, which would send the password in the clear. The transaction
// pooler is refused for every database resource: the migrations hold a
// session-level advisory lock, which it cannot keep, and pgx's named
// prepared statements do not survive it either; one rule for all resources
// of a provider that shares one URL.
func DatabaseConfig(connString string, maxConnections int) (*pgxpool.Config, error) {
	connString, err := requireTLSOffLoopback(connString)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// pgx errors can echo the connection string; never pass them on.
		return nil, fmt.Errorf("the database URL is not a valid PostgreSQL connection string (expected postgresql://user:password@host:port/dbname)")
	}
	if cfg.ConnConfig.Port == TransactionPoolerPort {
		return nil, fmt.Errorf("the database URL uses port %d, Supabase's transaction-mode pooler. The provider needs a session: "+
			"applying migrations holds a session-level advisory lock (so two applies never run a migration twice), and a "+
			"transaction-mode pooler moves each transaction to another server connection. Use the session pooler (the same "+
			"pooler host on port 5432, user postgres.<project-ref>) or the direct connection (db.<project-ref>.supabase.co:5432)",
			TransactionPoolerPort)
	}
	if maxConnections <= 0 {
		maxConnections = DefaultMaxConnections
	}
	cfg.MaxConns = int32(maxConnections)
	cfg.ConnConfig.RuntimeParams["application_name"] = "terraform-provider-officehours"
	if m := directHost.FindStringSubmatch(cfg.ConnConfig.Host); m != nil {
		explainIPv6Only(&cfg.ConnConfig.Config, m[1])
	}
	return cfg, nil
}

// explainIPv6Only makes a failure to reach the direct host say what to do:
// a runner without IPv6 (GitHub's) gets a bare dial error otherwise.
func explainIPv6Only(cfg *pgconn.Config, ref string) {
	explain := func(err error) error {
		return fmt.Errorf("%w. %s is Supabase's direct connection, which has an IPv6 address only, and this machine could "+
			"not reach it (GitHub's runners, for one, have no IPv6). Use the session pooler, which has IPv4: "+
			"postgresql://postgres.%s:<password>@aws-0-<region>.pooler.supabase.com:5432/postgres "+
			"(the dashboard's Connect dialog shows the exact URL)", err, cfg.Host, ref)
	}
	lookup, dial := cfg.LookupFunc, cfg.DialFunc
	cfg.LookupFunc = func(ctx context.Context, host string) ([]string, error) {
		addrs, err := lookup(ctx, host)
		if err != nil {
			return nil, explain(err)
		}
		return addrs, nil
	}
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, explain(err)
		}
		return conn, nil
	}
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

func openPool(ctx context.Context, connString string, maxConnections int) (*pgxpool.Pool, error) {
	cfg, err := DatabaseConfig(connString, maxConnections)
	if err != nil {
		return nil, err
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}
