package bench

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgcluster"
)

// Provider coordinates in the benchmark's filesystem mirror (the layout of
// `make install`).
const (
	ProviderSource  = "registry.terraform.io/youcanjustdothings/officehours"
	ProviderVersion = "0.0.1"
	ProviderPrefix  = "terraform-provider-officehours"
	ownerRole       = "postgres"
)

// StackOptions configures NewStack.
type StackOptions struct {
	Repo      string    // the module root to build the provider from
	FromHead  bool      // build the committed HEAD (git archive) instead of the work tree
	Terraform string    // terraform binary; "" looks it up on PATH
	Keep      bool      // keep the temporary directory
	Log       io.Writer // progress lines
	Database  bool      // start PostgreSQL
}

// Stack is what the benchmarks run against: the provider built into a
// filesystem mirror of its own with a CLI configuration that installs it
// from there (never downloading), a PostgreSQL with the Supabase fixture
// (pg_stat_statements preloaded when possible), and in-process local
// Cloudflare APIs made on demand.
type Stack struct {
	Root        string // temporary directory holding everything
	Repo        string
	Terraform   string
	ProviderBin string
	CLIConfig   string
	Token       string
	Commit      string // the commit built (with "+dirty" for a modified work tree)

	PG *pgcluster.Cluster
	DB *DBCounter

	opts    StackOptions
	mu      sync.Mutex
	seq     int
	apis    []*API
	closers []func() // Storage APIs
}

// NewStack builds the provider and starts PostgreSQL.
func NewStack(ctx context.Context, opts StackOptions) (*Stack, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	repo, err := filepath.Abs(opts.Repo)
	if err != nil {
		return nil, err
	}
	tf := opts.Terraform
	if tf == "" {
		if tf, err = exec.LookPath("terraform"); err != nil {
			return nil, fmt.Errorf("terraform is not on PATH (the benchmarks never download it)")
		}
	}
	root, err := os.MkdirTemp("", "officehours-bench-")
	if err != nil {
		return nil, err
	}
	s := &Stack{Root: root, Repo: repo, Terraform: tf, Token: randomToken(), opts: opts}
	if err := s.buildProvider(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if opts.Database {
		if err := s.startDatabase(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func randomToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Stack) logf(format string, args ...any) { fmt.Fprintf(s.opts.Log, format+"\n", args...) }

// buildProvider builds the provider into <root>/plugins in the layout of
// `make install` and writes a CLI configuration that uses only that mirror
// for it.
func (s *Stack) buildProvider(ctx context.Context) error {
	src := s.Repo
	s.Commit = gitDescribe(ctx, s.Repo)
	if s.opts.FromHead {
		src = filepath.Join(s.Root, "src")
		if err := os.Mkdir(src, 0o755); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, "sh", "-c", `git -C "$1" archive --format=tar HEAD | tar -x -C "$2"`, "sh", s.Repo, src)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("exporting HEAD: %w\n%s", err, out)
		}
		s.Commit = strings.TrimSuffix(s.Commit, "+dirty")
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	mirror := filepath.Join(s.Root, "plugins")
	dir := filepath.Join(mirror, ProviderSource, ProviderVersion, platform)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s.ProviderBin = filepath.Join(dir, ProviderPrefix+"_v"+ProviderVersion)
	s.logf("building the provider (%s) ...", s.Commit)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", s.ProviderBin, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	s.CLIConfig = filepath.Join(s.Root, "terraformrc")
	cfg := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n  direct {\n    exclude = [%q]\n  }\n}\n",
		mirror, ProviderSource, ProviderSource)
	return os.WriteFile(s.CLIConfig, []byte(cfg), 0o644)
}

func gitDescribe(ctx context.Context, repo string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", repo, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		commit += "+dirty"
	}
	return commit
}

// startDatabase starts a PostgreSQL 15 with the Supabase fixture in the
// stack's directory, then restarts it once with pg_stat_statements
// preloaded (ALTER SYSTEM; pgtest has no option for server settings), so
// that statements can be counted. Without the extension only transactions
// and sessions are counted.
func (s *Stack) startDatabase(ctx context.Context) error {
	pgRoot := filepath.Join(s.Root, "pg")
	if err := os.Mkdir(pgRoot, 0o755); err != nil {
		return err
	}
	// The server may run as the postgres user: it must reach its data dir.
	if err := os.Chmod(s.Root, 0o755); err != nil {
		return err
	}
	opts := pgcluster.Options{Dir: filepath.Join(pgRoot, "data"), Password: randomToken()}
	s.logf("starting PostgreSQL ...")
	pg, err := pgcluster.Start(ctx, opts)
	if err != nil {
		return err
	}
	s.PG = pg
	withStatements := false
	if err := preloadStatements(ctx, pg.AdminURL("postgres")); err != nil {
		s.logf("pg_stat_statements not enabled (%v): counting transactions only", err)
	} else {
		// pg_stat_statements.max is known only once the library is loaded:
		// restart, set it, restart again.
		opts.Port = pg.Port()
		for _, step := range []func() error{
			pg.Stop,
			func() (err error) { s.PG, err = pgcluster.Start(ctx, opts); return err },
			func() error { return setStatementsMax(ctx, s.PG.AdminURL("postgres")) },
			func() error { return s.PG.Stop() },
			func() (err error) { s.PG, err = pgcluster.Start(ctx, opts); return err },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		withStatements = true
	}
	s.DB, err = OpenDBCounter(ctx, s.PG.AdminURL("postgres"), ownerRole, withStatements)
	return err
}

func preloadStatements(ctx context.Context, adminURL string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{
		"alter system set shared_preload_libraries = 'pg_stat_statements'",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

// setStatementsMax keeps the counts of a step exact: past max distinct
// statements, pg_stat_statements evicts entries and their counts (1,000
// migration files hold some 3,000).
func setStatementsMax(ctx context.Context, adminURL string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{
		"alter system set pg_stat_statements.max = 20000",
		"alter system set pg_stat_statements.track = 'top'",
		"alter system set pg_stat_statements.track_utility = on",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

// NewDatabase creates a fresh database (a clone of the Supabase fixture)
// and returns its name and owner URL.
func (s *Stack) NewDatabase(ctx context.Context, label string) (name, url string, err error) {
	if s.PG == nil {
		return "", "", fmt.Errorf("bench: the stack has no database")
	}
	s.mu.Lock()
	s.seq++
	name = fmt.Sprintf("bench_%s_%d", label, s.seq)
	s.mu.Unlock()
	url, err = s.PG.CreateDatabase(ctx, name)
	return name, url, err
}

// NewStorage serves the Supabase Storage API on database name, closed with
// the stack, and returns the environment a configuration needs for it:
// SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY.
func (s *Stack) NewStorage(ctx context.Context, name string) ([]string, error) {
	pool, err := pgxpool.New(ctx, s.PG.StorageURL(name))
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	key, err := localstorage.Sign(secret, localstorage.Claims{Role: "service_role", Expires: time.Now().Add(24 * time.Hour).Unix()})
	if err != nil {
		pool.Close()
		return nil, err
	}
	srv, err := localstorage.New(localstorage.Config{DB: pool, JWTSecret: secret})
	if err != nil {
		pool.Close()
		return nil, err
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.mu.Lock()
	s.closers = append(s.closers, func() { srv.Close(); pool.Close() })
	s.mu.Unlock()
	return []string{"SUPABASE_URL=" + url, "SUPABASE_SERVICE_ROLE_KEY=" + key}, nil
}

// Dir makes a new directory under the stack's root.
func (s *Stack) Dir(name string) (string, error) {
	dir := filepath.Join(s.Root, name)
	return dir, os.MkdirAll(dir, 0o755)
}

// Close stops everything and removes the temporary directory unless Keep.
func (s *Stack) Close() {
	for _, a := range s.apis {
		a.Close()
	}
	for _, c := range s.closers {
		c()
	}
	if s.DB != nil {
		s.DB.Close()
	}
	if s.PG != nil {
		if err := s.PG.Stop(); err != nil {
			s.logf("stopping PostgreSQL: %v", err)
		}
	}
	if s.opts.Keep {
		s.logf("kept %s", s.Root)
		return
	}
	os.RemoveAll(s.Root)
}

// API is an in-process local Cloudflare API, served through a wrapper that
// also counts answers by HTTP status (the request log counts routes).
type API struct {
	Server *localapi.Server
	URL    string

	http     *http.Server
	mu       sync.Mutex
	statuses map[int]int
}

// NewAPI starts a fresh local Cloudflare API with in-memory state.
func (s *Stack) NewAPI() (*API, error) {
	srv, err := localapi.New(localapi.Config{Token: s.Token})
	if err != nil {
		return nil, err
	}
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &API{Server: srv, URL: "http://" + l.Addr().String() + "/client/v4", statuses: map[int]int{}}
	inner := srv.Handler()
	a.http = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if !strings.HasPrefix(r.URL.Path, "/__local/") {
				a.mu.Lock()
				a.statuses[rec.status]++
				a.mu.Unlock()
			}
		}()
		inner.ServeHTTP(rec, r)
	})}
	go func() { _ = a.http.Serve(l) }()
	s.mu.Lock()
	s.apis = append(s.apis, a)
	s.mu.Unlock()
	return a, nil
}

// Reset clears the request log and status counts.
func (a *API) Reset() {
	a.Server.Requests().Reset()
	a.mu.Lock()
	a.statuses = map[int]int{}
	a.mu.Unlock()
}

// Counts is the request log: requests by "METHOD route pattern".
func (a *API) Counts() map[string]int { return a.Server.Requests().Counts() }

// Statuses counts answers by HTTP status (0 for a dropped connection).
func (a *API) Statuses() map[int]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[int]int, len(a.statuses))
	for k, v := range a.statuses {
		out[k] = v
	}
	return out
}

// Close stops the server.
func (a *API) Close() { _ = a.http.Close() }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Hijack lets a dropped-connection fault close the connection.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.status = 0
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("bench: cannot hijack")
	}
	return h.Hijack()
}

// Env is the environment for terraform, the Supabase CLI and psql: the
// process's own, without any Terraform, Cloudflare or Supabase settings it
// may carry, plus the stack's. api and dbURL may be nil/empty.
func (s *Stack) Env(api *API, dbURL string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CLOUDFLARE_") ||
			strings.HasPrefix(name, "SUPABASE_") || strings.HasPrefix(name, "PG") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_CLI_CONFIG_FILE="+s.CLIConfig,
		"SUPABASE_TELEMETRY_DISABLED=1",
	)
	if api != nil {
		env = append(env,
			"CLOUDFLARE_API_BASE_URL="+api.URL,
			"CLOUDFLARE_API_TOKEN="+s.Token,
			"CLOUDFLARE_ACCOUNT_ID="+api.Server.AccountID(),
		)
	}
	if dbURL != "" {
		env = append(env, "SUPABASE_DB_URL="+dbURL)
	}
	return append(env, extra...)
}

// CopyTree copies src to dst, leaving out Terraform's working files (state,
// .terraform, lock files), so that a configuration runs from a copy with
// its relative paths intact.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		name := d.Name()
		if d.IsDir() && (name == ".terraform" || name == "node_modules") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(name, ".tfstate") || strings.Contains(name, ".tfstate.") || name == ".terraform.lock.hcl" {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}
