package localruntime

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

// Options configures a Runtime.
type Options struct {
	API *localapi.Server
	// Dir keeps what outlives a restart: Durable Object storage, the cache.
	Dir string
	// Logs takes Miniflare's output and the runtime's own messages.
	Logs io.Writer
	// BareHost is the host a request to the bare address (127.0.0.1 or
	// localhost, no name) is taken for: the development API's hostname.
	BareHost string
}

// Runtime runs the API's deployed Workers and routes requests to them.
type Runtime struct {
	opts      Options
	zones     []string // the API's zones, which never change
	host      *host
	bridge    *http.Server
	bridgeURL string
	logf      func(format string, args ...any)

	mu      sync.Mutex
	serving serving       // what requests are routed by
	applied []byte        // the host configuration running
	settled chan struct{} // closed when no change is waiting to be run
	closed  bool          // settled is closed
	dirty   bool
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// serving is what the edge routes by, swapped whole after each change.
type serving struct {
	routes  routeTable
	traffic map[string]Traffic
	urls    map[string]string // Miniflare worker => its direct socket
	broken  map[string]string // script => why Miniflare could not start it
	err     error             // why the deployed Workers are not running
}

// Start starts Miniflare and runs what the API has deployed, then follows
// every change of the API's state. It fails with ErrNoNode when Node.js is
// missing.
func Start(ctx context.Context, opts Options) (*Runtime, error) {
	if opts.Logs == nil {
		opts.Logs = io.Discard
	}
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h, err := startHost(ctx, opts.Dir, opts.Logs)
	if err != nil {
		l.Close()
		return nil, err
	}
	logger := log.New(opts.Logs, "workers runtime: ", 0)
	r := &Runtime{
		opts: opts, host: h, logf: logger.Printf,
		bridge:    &http.Server{Handler: opts.API.KVBridge(), ReadHeaderTimeout: 10 * time.Second},
		bridgeURL: "http://" + l.Addr().String() + "/kv",
		settled:   make(chan struct{}), dirty: true,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	for _, z := range opts.API.Zones() {
		r.zones = append(r.zones, z.Name)
	}
	go func() { _ = r.bridge.Serve(l) }()
	opts.API.Watch(r.changed)
	go r.follow()
	r.changed()
	if err := r.Settle(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// changed marks the API's state as changed; the follower runs it.
func (r *Runtime) changed() {
	r.mu.Lock()
	r.dirty = true
	if r.closed {
		r.settled, r.closed = make(chan struct{}), false
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Settle waits until what the API has deployed runs.
func (r *Runtime) Settle(ctx context.Context) error {
	r.mu.Lock()
	ch := r.settled
	r.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// follow runs each change once, coalescing those that come while Miniflare
// restarts.
func (r *Runtime) follow() {
	defer close(r.done)
	for {
		select {
		case <-r.stop:
			return
		case <-r.wake:
		}
		r.mu.Lock()
		r.dirty = false
		r.mu.Unlock()
		r.sync()
		r.mu.Lock()
		if !r.dirty && !r.closed {
			close(r.settled)
			r.closed = true
		}
		r.mu.Unlock()
	}
}

// sync brings the runtime to the API's state. Only a change of what runs
// restarts Miniflare; a KV write or a new route only reroutes.
func (r *Runtime) sync() {
	state := r.opts.API.Workers()
	cfg, traffic, err := plan(state, r.bridgeURL)
	next := serving{routes: newRouteTable(state.Routes), traffic: traffic}
	if err != nil {
		next.err = err
		r.logf("%v", err)
		r.mu.Lock()
		r.applied, r.serving = nil, next // nothing runs: the next good state starts Miniflare again
		r.mu.Unlock()
		return
	}
	encoded, _ := json.Marshal(cfg) // plain data
	r.mu.Lock()
	same := bytes.Equal(encoded, r.applied)
	urls, broken := r.serving.urls, r.serving.broken
	r.mu.Unlock()
	if !same {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		urls, broken, err = r.start(ctx, cfg)
		cancel()
		switch {
		case err != nil:
			encoded, next.err = nil, err
			r.logf("%v", err)
		case len(broken) > 0:
			r.logf("running %d Worker version(s); not running, as they do not start: %v", len(urls), broken)
		default:
			r.logf("running %d Worker version(s)", len(cfg.Workers))
		}
	}
	next.urls, next.broken = urls, broken
	r.mu.Lock()
	r.applied = encoded
	r.serving = next
	r.mu.Unlock()
}

// start runs cfg. When Miniflare cannot start it (one Worker throws at
// startup), it runs what starts: the scripts are added one at a time, in
// two passes so that one binding another's objects gets its turn after it,
// and those that still fail are reported broken, so that one bad Worker
// does not take the stack's others down.
func (r *Runtime) start(ctx context.Context, cfg hostConfig) (map[string]string, map[string]string, error) {
	urls, err := r.host.apply(ctx, cfg)
	if err == nil {
		return urls, nil, nil
	}
	var order []string
	groups := map[string][]hostWorker{}
	for _, w := range cfg.Workers {
		script, _, _ := strings.Cut(w.Name, "@")
		if groups[script] == nil {
			order = append(order, script)
		}
		groups[script] = append(groups[script], w)
	}
	broken := map[string]string{}
	var kept []hostWorker
	for pass := 0; pass < 2; pass++ {
		var again []string
		for _, script := range order {
			try := cfg
			try.Workers = append(slices.Clone(kept), groups[script]...)
			if _, err := r.host.apply(ctx, try); err != nil {
				broken[script], again = err.Error(), append(again, script)
				continue
			}
			kept = try.Workers
			delete(broken, script)
		}
		order = again
	}
	final := cfg
	final.Workers = kept
	if final.Workers == nil {
		final.Workers = []hostWorker{}
	}
	urls, err = r.host.apply(ctx, final)
	return urls, broken, err
}

func (r *Runtime) current() serving {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.serving
}

// Close stops following the API and stops Miniflare.
func (r *Runtime) Close() {
	close(r.stop)
	<-r.done
	_ = r.bridge.Close()
	r.host.close()
}
