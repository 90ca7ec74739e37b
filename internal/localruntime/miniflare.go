// Package localruntime runs what the local Cloudflare API has deployed, as
// Cloudflare's edge would: every Worker version a deployment sends traffic
// to runs in Miniflare (Cloudflare's simulator on workerd, from npm, pinned),
// requests reach them on 127.0.0.1:8787 by their zone routes, and the
// production deployment of a Pages project is served on 127.0.0.1:3000.
package localruntime

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/npmtool"
)

// MiniflareVersion is the Miniflare release the local runtime pins: the one
// wrangler 4.86 (wranglercli.Version) runs `wrangler dev` with.
const MiniflareVersion = "4.20260426.0"

var miniflare = npmtool.Tool{
	Name: "miniflare", DirEnv: "OFFICEHOURS_MINIFLARE_DIR",
	Package: "miniflare", Version: MiniflareVersion,
	Find: func(_ context.Context, dir string) (string, bool) {
		return dir, npmtool.HasPackage(dir, "miniflare", MiniflareVersion)
	},
}

//go:embed host.mjs
var hostScript []byte

// hostFile is the host script's name inside the install directory, so that
// Node resolves `import "miniflare"` from its node_modules.
const hostFile = "officehours-runtime.mjs"

// ErrNoNode means Node.js is not installed: the stack runs without Workers.
var ErrNoNode = errors.New("node is not on PATH: install Node.js 20 (apt-get install nodejs npm) to run the deployed Workers; the rest of the local stack works without it")

// host is the Node process running Miniflare.
type host struct {
	cmd     *exec.Cmd
	stdin   io.Closer
	control string
	done    chan struct{}
}

// startHost installs Miniflare when it is missing and starts the host
// script, which keeps Durable Object state under dir.
func startHost(ctx context.Context, dir string, logs io.Writer) (*host, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, ErrNoNode
	}
	install, err := miniflare.Install(ctx)
	if err != nil {
		return nil, fmt.Errorf("installing Miniflare %s: %w", MiniflareVersion, err)
	}
	script := filepath.Join(install, hostFile)
	if current, err := os.ReadFile(script); err != nil || !bytes.Equal(current, hostScript) {
		// Atomically: another stack starting at once may be reading it.
		tmp := fmt.Sprintf("%s.%d", script, os.Getpid())
		if err := os.WriteFile(tmp, hostScript, 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, script); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// The host outlives ctx, which bounds the start only.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), node, script)
	cmd.Env = append(os.Environ(), "OFFICEHOURS_RUNTIME_DIR="+dir)
	cmd.Stderr = logs
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the Workers runtime: %w", err)
	}
	h := &host{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(h.done) }()
	ready := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			var hello struct{ Control string }
			if json.Unmarshal(lines.Bytes(), &hello) == nil && hello.Control != "" {
				ready <- hello.Control
			}
			fmt.Fprintln(logs, lines.Text())
		}
	}()
	select {
	case h.control = <-ready:
		return h, nil
	case <-h.done:
		return nil, errors.New("the Workers runtime exited while starting; its output is in the stack's log")
	case <-time.After(30 * time.Second):
		h.close()
		return nil, errors.New("the Workers runtime did not start within 30 s")
	}
}

// apply makes the host run cfg and returns each worker's address.
func (h *host) apply(ctx context.Context, cfg hostConfig) (map[string]string, error) {
	body, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, h.control+"/workers", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the Workers runtime: %w", err)
	}
	defer res.Body.Close()
	var out struct {
		URLs  map[string]string `json:"urls"`
		Error string            `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("the Workers runtime answered %s: %w", res.Status, err)
	}
	if out.Error != "" {
		return nil, fmt.Errorf("Miniflare could not run the deployed Workers: %s", out.Error)
	}
	return out.URLs, nil
}

// close stops the host: closing its stdin asks it to dispose of Miniflare.
func (h *host) close() {
	_ = h.stdin.Close()
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.done
	}
}
