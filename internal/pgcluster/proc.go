package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// runner executes PostgreSQL binaries, as the postgres system user when we
// are root because initdb, pg_ctl and postgres all refuse to run as root.
type runner struct {
	bindir string
	cred   *syscall.Credential // nil = current user
}

func newRunner(ctx context.Context) (*runner, error) {
	bindir, err := findBindir(ctx)
	if err != nil {
		return nil, err
	}
	r := &runner{bindir: bindir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgcluster: running as root needs a 'postgres' system user: %w", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		r.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	return r, nil
}

// findBindir prefers pg_config (matches the installed server), then the
// newest Debian-style /usr/lib/postgresql/<v>/bin.
func findBindir(ctx context.Context) (string, error) {
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", errors.New("pgcluster: PostgreSQL server binaries not found (no initdb via pg_config --bindir or /usr/lib/postgresql/*/bin); install postgresql-15")
}

func pgMajor(bindir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bindir)))
	return n
}

// own hands a path we created to the server user; a no-op when not root.
func (r *runner) own(path string) error {
	if r.cred == nil {
		return nil
	}
	return os.Chown(path, int(r.cred.Uid), int(r.cred.Gid))
}

func (r *runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(r.bindir, name), args...)
	// "/" is always accessible; root's cwd (e.g. /root) may not be for postgres.
	cmd.Dir = "/"
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	return cmd
}

// run executes a binary and folds its output into the error.
func (r *runner) run(ctx context.Context, name string, args ...string) error {
	var out bytes.Buffer
	cmd := r.command(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgcluster: %s %s: %w\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// checkAccess catches the common root pitfall early: a persistent Dir below a
// directory (like /root) that the postgres user cannot traverse.
func (r *runner) checkAccess(ctx context.Context, dir string) error {
	if r.cred == nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", `test -w "$1" && test -x "$1"`, "sh", dir)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgcluster: %s is not writable by the postgres system user (check the permissions of its parent directories)", dir)
	}
	return nil
}

// reachableDir returns the data directory for a persistent dir. As root,
// the server runs as postgres, which cannot reach a dir below a directory it
// may not traverse (a checkout under /root or mktemp -d): the cluster then
// lives in a directory of the system's temporary folder named after dir, and
// dir becomes a link to it, so that restarts find it again.
func (r *runner) reachableDir(ctx context.Context, dir string, logf func(string, ...any)) (string, error) {
	if target, err := filepath.EvalSymlinks(dir); err == nil && target != dir {
		return target, nil // linked on an earlier start
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := r.own(dir); err != nil {
		return "", err
	}
	if r.checkAccess(ctx, dir) == nil {
		return dir, nil
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return "", r.checkAccess(ctx, dir) // a cluster is there already: say why it cannot run
	}
	sum := sha256.Sum256([]byte(dir))
	alt := filepath.Join(os.TempDir(), "officehours-pg-"+hex.EncodeToString(sum[:8]))
	// dir was empty, so anything in alt was left by a removed dir (make
	// local-clean): start afresh, as dir would have.
	if err := os.RemoveAll(alt); err != nil {
		return "", err
	}
	if err := os.MkdirAll(alt, 0o700); err != nil {
		return "", err
	}
	if err := r.own(alt); err != nil {
		return "", err
	}
	if err := r.checkAccess(ctx, alt); err != nil {
		return "", err
	}
	if err := os.Remove(dir); err != nil {
		return "", err
	}
	if err := os.Symlink(alt, dir); err != nil {
		return "", err
	}
	logf("%s is not reachable by the postgres system user; the cluster lives in %s (linked from there)", dir, alt)
	return alt, nil
}

// shellQuote quotes for pg_ctl -o, which passes options through /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail returns the end of a log file for error messages.
func tail(path string, maxBytes int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > maxBytes {
		b = b[len(b)-maxBytes:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return strings.TrimSpace(string(b))
}

// freePort asks the kernel for an unused port; Start retries on the small
// race between closing this listener and the server binding it.
func freePort(ctx context.Context) (int, error) {
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// quoteLiteral quotes a SQL string literal (standard_conforming_strings is on).
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
