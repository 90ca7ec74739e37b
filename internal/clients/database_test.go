package clients

import (
	"strings"
	"testing"
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
			cfg, err := DatabaseConfig(tt.url)
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
