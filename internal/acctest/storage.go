package acctest

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// Storage is an in-process local Supabase Storage API on a test database,
// with the keys `supabase start` would print for it.
type Storage struct {
	*localstorage.Server
	URL        string // the project URL; Storage is under URL + localstorage.Prefix
	Secret     []byte
	AnonKey    string
	ServiceKey string
}

// NewStorage serves Storage for the database of databaseURL (from
// pgtest.NewDatabase), connected as supabase_storage_admin, closed when
// the test ends. emptyDelay is how long a bucket's empty stays queued
// (localstorage.Config.EmptyDelay).
func NewStorage(t *testing.T, databaseURL string, emptyDelay time.Duration) *Storage {
	t.Helper()
	testutil.RequireServices(t)
	pool, err := pgxpool.New(context.Background(), pgtest.StorageURL(t, databaseURL))
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	srv, err := localstorage.New(localstorage.Config{DB: pool, JWTSecret: secret, Dir: t.TempDir(), EmptyDelay: emptyDelay})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Flush(); pool.Close() })
	s := &Storage{Server: srv, URL: hs.URL, Secret: secret}
	s.AnonKey, s.ServiceKey = s.Token(t, "", "anon"), s.Token(t, "", "service_role")
	return s
}

// Token signs a JWT for role (and, for a user, their id sub), valid for an
// hour.
func (s *Storage) Token(t *testing.T, sub, role string) string {
	t.Helper()
	c := localstorage.Claims{Issuer: "supabase-demo", Subject: sub, Role: role, Expires: time.Now().Add(time.Hour).Unix()}
	if role == "authenticated" {
		c.Audience = "authenticated"
	}
	token, err := localstorage.Sign(s.Secret, c)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
