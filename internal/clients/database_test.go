package clients

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestDatabaseConfigRequiresTLSOffLoopback(t *testing.T) {
	tests := []struct {
		url      string
		wantMode string
		wantErr  bool
	}{
		{"postgresql://postgres:pw@db.abc.supabase.co:5432/postgres", "require", false},
		{"postgresql://postgres:pw@db.abc.supabase.co:5432/postgres?sslmode=verify-full", "verify-full", false},
		{"postgresql://postgres:pw@db.internal:5432/postgres?sslmode=disable", "", false}, // the URL says so
		{"postgresql://postgres:pw@127.0.0.1:5432/postgres", "", false},
		{"postgres://postgres:pw@localhost:5432/postgres", "", false},
		{"mysql://root@localhost/db", "", true},
		{"not a url with secret-password", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			cfg, err := DatabaseConfig(tt.url, 0)
			if tt.wantErr {
				if err == nil {
					t.Fatal("expected an error")
				}
				if strings.Contains(err.Error(), "secret-password") {
					t.Fatalf("the error repeats the URL: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantMode == "" {
				return
			}
			// TLS, and no plaintext fallback for pgx to try.
			if cfg.ConnConfig.TLSConfig == nil {
				t.Fatal("expected TLS")
			}
			for _, fb := range cfg.ConnConfig.Fallbacks {
				if fb.TLSConfig == nil {
					t.Fatal("found a plaintext fallback")
				}
			}
		})
	}
}

func TestDatabaseConfigRefusesTheTransactionPoolerAndBoundsThePool(t *testing.T) {
	_, err := DatabaseConfig("postgresql://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", 0)
	if err == nil || !strings.Contains(err.Error(), "session pooler") || strings.Contains(err.Error(), "pw@") {
		t.Fatalf("transaction pooler: %v", err)
	}
	cfg, err := DatabaseConfig("postgresql://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres", 0)
	if err != nil || cfg.MaxConns != DefaultMaxConnections {
		t.Fatalf("session pooler: %v, max conns %d", err, cfg.MaxConns)
	}
	if cfg, _ := DatabaseConfig("postgresql://postgres:pw@127.0.0.1:5432/postgres", 12); cfg.MaxConns != 12 {
		t.Fatalf("max conns %d, want the 12 configured", cfg.MaxConns)
	}
}

// The direct host has an IPv6 address only; failing to reach it says to
// use the session pooler, with the URL's shape.
func TestDirectHostFailureNamesTheSessionPooler(t *testing.T) {
	cfg, err := DatabaseConfig("postgresql://postgres:pw@db.abcdefghijklmnopqrst.supabase.co:5432/postgres", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.ConnConfig.Config
	// Whatever this machine's network does, a lookup or dial failure is
	// explained (2001:db8::/32 is the documentation range: never reachable).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for name, fail := range map[string]error{
		"lookup": func() error { _, err := c.LookupFunc(ctx, "db.abcdefghijklmnopqrst.supabase.co."); return err }(),
		"dial":   func() error { _, err := c.DialFunc(ctx, "tcp", "[2001:db8::1]:1"); return err }(),
	} {
		if fail == nil {
			continue // the lookup succeeded on a networked machine; the dial below still fails
		}
		for _, want := range []string{"IPv6 address only", "postgresql://postgres.abcdefghijklmnopqrst:<password>@aws-0-<region>.pooler.supabase.com:5432/postgres"} {
			if !strings.Contains(fail.Error(), want) {
				t.Errorf("%s failure %q lacks %q", name, fail, want)
			}
		}
	}
}
