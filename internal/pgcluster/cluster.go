// Package pgcluster runs a throwaway (or persistent) PostgreSQL 15 cluster with
// a minimal Supabase fixture: the roles, auth.* helpers and grants that
// Supabase projects have, so SQL written for Supabase runs unchanged.
package pgcluster

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

//go:embed fixture.sql
var fixtureSQL string

// legacyGrantsSQL gives the API roles every privilege on what postgres
// creates in public, as Supabase did for projects created before 2026-05-30
// (until 2026-10-30 for all of them; changelog #45329).
const legacyGrantsSQL = `
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
`

// Template is a fixture database new databases are cloned from.
type Template string

const (
	// Today is a Supabase project as hosted today: no default grants.
	Today Template = "supabase_fixture"
	// LegacyDefaultGrants is an older project whose new public tables are
	// granted to the API roles by default.
	LegacyDefaultGrants Template = "supabase_fixture_legacy_grants"
)

// templates and the SQL each adds to the fixture.
var templates = []struct {
	name  Template
	extra string
}{{Today, ""}, {LegacyDefaultGrants, legacyGrantsSQL}}

const (
	adminUser   = "supabase_admin"
	ownerUser   = "postgres"
	storageUser = "supabase_storage_admin"
	logName     = "pgtest.log"
	adminPWName = "pgtest_admin_password" // kept in the data dir so a persistent cluster can be reused
)

// Options configures Start.
type Options struct {
	Dir      string    // data directory; "" = a temp dir removed by Stop. Non-empty = persistent: initialised if empty, reused if already initialised, kept on Stop.
	Port     int       // 0 = pick a free port on 127.0.0.1
	Password string    // password of the owner role "postgres"; "" = a random one
	Log      io.Writer // optional progress lines for people
}

// Cluster is a running PostgreSQL server.
type Cluster struct {
	r         *runner
	data      string
	tmp       string // removed by Stop; "" for a persistent Dir
	port      int
	ownerPW   string
	storagePW string // supabase_storage_admin's, random for each Start
	adminPW   string
	stopOnce  sync.Once
	stopErr   error
}

// Start initialises (if needed) and starts a cluster and makes sure the
// fixture template exists.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	r, err := newRunner(ctx)
	if err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "pgcluster: "+format+"\n", args...)
		}
	}
	c := &Cluster{r: r, ownerPW: opts.Password, storagePW: randomHex(16)}
	if c.ownerPW == "" {
		c.ownerPW = randomHex(16)
	}
	ok := false
	defer func() {
		if !ok {
			_ = c.Stop()
		}
	}()

	if opts.Dir == "" {
		if c.tmp, err = os.MkdirTemp("", "pgtest-"); err != nil {
			return nil, err
		}
		// MkdirTemp makes it 0700 root-owned; the server user must own it.
		if err := r.own(c.tmp); err != nil {
			return nil, err
		}
		c.data = filepath.Join(c.tmp, "data")
		if err := os.Mkdir(c.data, 0o700); err != nil {
			return nil, err
		}
	} else {
		dir, err := filepath.Abs(opts.Dir)
		if err != nil {
			return nil, err
		}
		if c.data, err = r.reachableDir(ctx, dir, logf); err != nil {
			return nil, err
		}
	}

	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err == nil {
		logf("reusing cluster in %s", c.data)
		b, err := os.ReadFile(filepath.Join(c.data, adminPWName))
		if err != nil {
			return nil, fmt.Errorf("pgcluster: %s was not created by pgtest (admin password file missing): %w", c.data, err)
		}
		c.adminPW = strings.TrimSpace(string(b))
	} else {
		if entries, _ := os.ReadDir(c.data); len(entries) > 0 {
			return nil, fmt.Errorf("pgcluster: %s is neither empty nor a PostgreSQL data directory", c.data)
		}
		logf("initialising cluster in %s", c.data)
		if err := c.initdb(ctx, opts.Dir == ""); err != nil {
			return nil, err
		}
	}

	for attempt := 0; ; attempt++ {
		c.port = opts.Port
		if c.port == 0 {
			if c.port, err = freePort(ctx); err != nil {
				return nil, err
			}
		}
		err = c.start(ctx)
		if err == nil {
			break
		}
		// Another process may have grabbed the port between probe and bind.
		if opts.Port != 0 || attempt >= 4 || !strings.Contains(err.Error(), "already in use") {
			return nil, err
		}
	}
	logf("server listening on 127.0.0.1:%d", c.port)

	if err := c.setup(ctx, logf); err != nil {
		return nil, err
	}
	ok = true
	return c, nil
}

func (c *Cluster) initdb(ctx context.Context, throwaway bool) error {
	if err := c.r.own(c.data); err != nil {
		return err
	}
	if err := c.r.checkAccess(ctx, c.data); err != nil {
		return err
	}
	c.adminPW = randomHex(16)
	pwfile, err := os.CreateTemp("", "pgtest-pw-")
	if err != nil {
		return err
	}
	defer os.Remove(pwfile.Name())
	_, err = pwfile.WriteString(c.adminPW + "\n")
	if cerr := pwfile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := c.r.own(pwfile.Name()); err != nil {
		return err
	}
	args := []string{"-D", c.data, "-U", adminUser, "--auth=scram-sha-256",
		"--pwfile=" + pwfile.Name(), "--encoding=UTF8", "--locale=C"}
	if throwaway {
		args = append(args, "--no-sync") // nothing to protect, saves a second or so
	}
	if err := c.r.run(ctx, "initdb", args...); err != nil {
		return err
	}
	pwPath := filepath.Join(c.data, adminPWName)
	if err := os.WriteFile(pwPath, []byte(c.adminPW+"\n"), 0o600); err != nil {
		return err
	}
	return c.r.own(pwPath)
}

func (c *Cluster) start(ctx context.Context) error {
	sockDir := c.data
	// Unix socket paths are limited to ~107 bytes; TCP is what we use anyway.
	if len(sockDir)+len("/.s.PGSQL.65535") > 100 {
		sockDir = ""
	}
	opts := strings.Join([]string{
		"-c listen_addresses=127.0.0.1",
		"-p " + strconv.Itoa(c.port),
		"-c unix_socket_directories=" + shellQuote(sockDir),
		"-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
		"-c max_connections=200",
	}, " ")
	logPath := filepath.Join(c.data, logName)
	err := c.r.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.data, "-l", logPath, "-o", opts)
	if err != nil {
		return fmt.Errorf("%w\nserver log (%s):\n%s", err, logPath, tail(logPath, 3000))
	}
	return nil
}

// setup builds each template database unless a previous Start built it
// from the same fixture (marked by datistemplate and a comment with the
// fixture's hash), and sets the owner password.
func (c *Cluster) setup(ctx context.Context, logf func(string, ...any)) error {
	conn, err := c.connectAdmin(ctx, "postgres")
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, t := range templates {
		sum := sha256.Sum256([]byte(fixtureSQL + t.extra))
		mark := "fixture " + hex.EncodeToString(sum[:8])
		var isTemplate bool
		var comment *string
		err = conn.QueryRow(ctx, "select datistemplate, shobj_description(oid, 'pg_database') from pg_database where datname = $1", string(t.name)).Scan(&isTemplate, &comment)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return fmt.Errorf("pgcluster: checking fixture %s: %w", t.name, err)
		case isTemplate && comment != nil && *comment == mark:
			continue
		default: // half-applied, or from another fixture
			if _, err := conn.Exec(ctx, "alter database "+string(t.name)+" is_template false"); err != nil {
				return fmt.Errorf("pgcluster: unmarking old fixture %s: %w", t.name, err)
			}
			if _, err := conn.Exec(ctx, "drop database "+string(t.name)+" with (force)"); err != nil {
				return fmt.Errorf("pgcluster: dropping old fixture %s: %w", t.name, err)
			}
		}
		logf("applying Supabase fixture to template database %s", t.name)
		if _, err := conn.Exec(ctx, "create database "+string(t.name)); err != nil {
			return fmt.Errorf("pgcluster: creating fixture database %s: %w", t.name, err)
		}
		fconn, err := c.connectAdmin(ctx, string(t.name))
		if err != nil {
			return err
		}
		_, err = fconn.Exec(ctx, fixtureSQL+t.extra)
		fconn.Close(context.Background())
		if err != nil {
			return fmt.Errorf("pgcluster: applying fixture to %s: %w", t.name, err)
		}
		// No connections allowed, so cloning never fails with "being accessed by other users".
		for _, stmt := range []string{
			"comment on database " + string(t.name) + " is '" + mark + "'",
			"alter database " + string(t.name) + " is_template true allow_connections false",
		} {
			if _, err := conn.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("pgcluster: marking fixture template %s: %w", t.name, err)
			}
		}
	}
	// The passwords may differ between runs of a persistent cluster.
	for role, pw := range map[string]string{ownerUser: c.ownerPW, storageUser: c.storagePW} {
		if _, err := conn.Exec(ctx, "alter role "+role+" password "+quoteLiteral(pw)); err != nil {
			return fmt.Errorf("pgcluster: setting the password of %s: %w", role, err)
		}
	}
	return nil
}

// Stop shuts the server down (fast mode) and removes a temporary data dir.
// It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.data == "" {
			return
		}
		if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c.stopErr = c.r.run(ctx, "pg_ctl", "stop", "-w", "-m", "fast", "-D", c.data)
		}
		if c.tmp != "" {
			if err := os.RemoveAll(c.tmp); err != nil && c.stopErr == nil {
				c.stopErr = err
			}
		}
	})
	return c.stopErr
}

// Port is the TCP port on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// URL connects as the owner role postgres (not a superuser, like Supabase).
func (c *Cluster) URL(database string) string { return c.url(ownerUser, c.ownerPW, database) }

// StorageURL connects as supabase_storage_admin, as Supabase Storage does
// (the local Storage API, internal/localstorage).
func (c *Cluster) StorageURL(database string) string {
	return c.url(storageUser, c.storagePW, database)
}

// AdminURL connects as the bootstrap superuser supabase_admin.
func (c *Cluster) AdminURL(database string) string { return c.url(adminUser, c.adminPW, database) }

func (c *Cluster) url(user, pw, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(user, pw),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}
