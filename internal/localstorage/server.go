// Package localstorage is a local stand-in for Supabase Storage's REST API
// (supabase/storage src/http/routes) as a project serves it under
// /storage/v1. Buckets and the metadata of objects live where Supabase
// keeps them, in the database's storage.buckets and storage.objects, and
// every request runs as its JWT's role with its claims set, so that the
// policies on those tables decide what a user may do; a service_role
// request bypasses them (the role has BYPASSRLS). Object content is kept in
// a directory. The API area of each file: buckets.go (/bucket), objects.go
// (/object).
package localstorage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Prefix is where a project serves Storage (supabase-go's STORGAGE_URL,
// storage-js behind createClient).
const Prefix = "/storage/v1"

// DefaultFileSizeLimit is Storage's global upload limit, 50 MiB
// (FILE_SIZE_LIMIT in supabase/storage src/config.ts; the free plan's).
const DefaultFileSizeLimit = 50 * 1024 * 1024

// Config configures a Server.
type Config struct {
	// DB connects as supabase_storage_admin, as Storage does
	// (pgcluster.Cluster.StorageURL).
	DB *pgxpool.Pool
	// JWTSecret signs the API keys and user tokens it accepts.
	JWTSecret []byte
	// Dir keeps the objects' content; "" keeps it in memory.
	Dir string
	// EmptyDelay is how long POST /bucket/{id}/empty takes to remove the
	// objects: Storage queues the deletion and answers at once ("Completion
	// may take up to an hour", src/http/routes/bucket/emptyBucket.ts).
	// 0 means a second.
	EmptyDelay time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Server is the local Storage API.
type Server struct {
	db         *pgxpool.Pool
	secret     []byte
	content    *contentStore
	emptyDelay time.Duration
	now        func() time.Time
	mux        *http.ServeMux
	mu         sync.Mutex
	queued     []*emptyJob
	http       *http.Server
}

// New builds a server from cfg.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || len(cfg.JWTSecret) < 32 {
		return nil, fmt.Errorf("localstorage: a database pool and a JWT secret of at least 32 bytes are required")
	}
	s := &Server{db: cfg.DB, secret: cfg.JWTSecret, content: newContentStore(cfg.Dir), emptyDelay: cfg.EmptyDelay, now: cfg.Now, mux: http.NewServeMux()}
	if s.emptyDelay <= 0 {
		s.emptyDelay = time.Second
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.routeBuckets()
	s.routeObjects()
	return s, nil
}

// Handler serves the API under Prefix.
func (s *Server) Handler() http.Handler { return s.mux }

// Start serves the API on addr (host:port; port 0 picks one) and returns
// the project URL, under which Storage answers at Prefix.
func (s *Server) Start(addr string) (string, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("local Storage API: listening on %s: %w", addr, err)
	}
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
	return "http://" + l.Addr().String(), nil
}

// Close stops serving and runs the queued empties; the pool stays the
// caller's.
func (s *Server) Close() {
	if s.http != nil {
		_ = s.http.Close()
	}
	s.Flush()
}

// Flush runs the queued empties now and waits for them (tests, shutdown).
func (s *Server) Flush() {
	s.mu.Lock()
	jobs := s.queued
	s.queued = nil
	s.mu.Unlock()
	for _, j := range jobs {
		j.timer.Stop()
		j.run()
	}
}

// handler is a route's function: it answers, or returns the error to send.
type handler func(w http.ResponseWriter, r *http.Request, u user) error

// handle registers a route that needs a valid JWT. The token is the
// Authorization header's, else the apikey header's, as the API gateway of
// `supabase start` passes them on (supabase/cli
// internal/start/templates/kong.yml, the storage-v1 route's
// request-transformer). A token that does not verify is refused as Storage
// refuses it (src/http/plugins/jwt.ts: AccessDenied with the verifier's
// message).
func (s *Server) handle(pattern string, h handler) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" "+Prefix+path, func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			token = r.Header.Get("apikey")
		}
		claims, payload, err := verify(s.secret, token, s.now())
		if err != nil {
			errAccessDenied(err.Error()).write(w)
			return
		}
		if err := h(w, r, user{claims: claims, payload: payload, token: token}); err != nil {
			fromDB(err).write(w)
		}
	})
}

// message is the answer of a bucket change: {"message": "..."}.
func message(w http.ResponseWriter, text string) error {
	writeJSON(w, http.StatusOK, map[string]string{"message": text})
	return nil
}

// timestamp formats a time as Storage's answers carry it: node-postgres
// reads timestamptz into a Date, which JSON prints in UTC with
// milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// randomUUID is a version 4 UUID (an object's version).
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
