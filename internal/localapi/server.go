// Package localapi is a local stand-in for the Cloudflare v4 API: a real
// HTTP server that serves one account and its zones, keeps its state in a
// JSON file, and answers in Cloudflare's envelope with Cloudflare's codes.
// Each API area lives in its own package beside this one.
package localapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/alerting"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/dns"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/healthchecks"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/kv"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/pages"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/workers"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/zones"
)

// DefaultZone is the zone of the CF Office Hours deployment design.
const DefaultZone = "officehours.youcanjustdothings.io"

// areas register the routes of each API area.
var areas = []func(*core.Env) error{
	zones.Register,
	dns.Register,
	kv.Register,
	workers.Register,
	pages.Register,
	alerting.Register,
	healthchecks.Register, // after alerting: its checks fire alerts
}

// Config configures a Server.
type Config struct {
	Token       string   // bearer token with every permission (40 characters, as Cloudflare's)
	AccountID   string   // "" derives a stable id from AccountName
	AccountName string   // "" means "Office Hours (local)"
	Zones       []string // zone names; none means DefaultZone
	StatePath   string   // JSON state file; "" keeps state in memory
	// RestrictedTokens are further tokens, each with only the permission
	// groups listed ("Workers Scripts Write", "DNS Read", ...).
	RestrictedTokens map[string][]string
	// PropagationDelay is how long a new object takes to become visible to
	// other endpoints (see core.Env.SetPropagationDelay); 0 means
	// DefaultPropagationDelay, and Consistent makes every write visible at once.
	PropagationDelay time.Duration
	Consistent       bool
	// Now is the clock; nil is time.Now (tests of delays advance their own).
	Now func() time.Time
	// RateLimit is the window every token is held to; the zero value is
	// Cloudflare's, 1,200 requests in five minutes.
	RateLimit RateLimit
	// TimeScale shortens health check intervals (0.01 runs a
	// 300 s interval every 3 s); 0 keeps Cloudflare's.
	TimeScale float64
}

// DefaultPropagationDelay is the delay by default: Cloudflare takes "a few
// seconds" (DIST PR #368); a second keeps tests quick while every client
// must still wait it out.
const DefaultPropagationDelay = time.Second

// Server is the local Cloudflare API.
type Server struct {
	env        *core.Env
	token      string
	restricted map[string][]string
	faults     *faultInjector
	limiter    *rateLimiter
	requests   *RequestLog
	http       *http.Server
	listener   net.Listener
	once       sync.Once
}

// New builds a server from cfg; it does not listen yet.
func New(cfg Config) (*Server, error) {
	if !wellFormedToken.MatchString(cfg.Token) {
		return nil, errors.New("localapi: the token must have the shape of a Cloudflare API token (40 letters, digits, - or _)")
	}
	if cfg.AccountName == "" {
		cfg.AccountName = "Office Hours (local)"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = stableID("account:" + cfg.AccountName)
	}
	if len(cfg.Zones) == 0 {
		cfg.Zones = []string{DefaultZone}
	}
	store, err := core.NewStore(cfg.StatePath)
	if err != nil {
		return nil, err
	}
	env := &core.Env{
		AccountID: cfg.AccountID, AccountName: cfg.AccountName,
		Store: store, Mux: http.NewServeMux(), Now: cfg.Now, TimeScale: cfg.TimeScale, Done: make(chan struct{}),
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	switch {
	case cfg.Consistent:
	case cfg.PropagationDelay > 0:
		env.SetPropagationDelay(cfg.PropagationDelay)
	default:
		env.SetPropagationDelay(DefaultPropagationDelay)
	}
	for _, name := range cfg.Zones {
		env.Zones = append(env.Zones, core.Zone{ID: stableID("zone:" + name), Name: name, Status: "active"})
	}
	for _, register := range areas {
		if err := register(env); err != nil {
			return nil, err
		}
	}
	s := &Server{env: env, token: cfg.Token, restricted: cfg.RestrictedTokens, faults: newFaultInjector(),
		limiter: newRateLimiter(cfg.RateLimit, env.Now), requests: newRequestLog()}
	s.registerAdmin()
	return s, nil
}

// stableID derives a 32-hex-digit id from a name, so that accounts and zones
// keep their ids across restarts and machines.
func stableID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:16])
}

// AccountID is the id of the account served.
func (s *Server) AccountID() string { return s.env.AccountID }

// Zones lists the zones served.
func (s *Server) Zones() []core.Zone { return append([]core.Zone(nil), s.env.Zones...) }

// ZoneID returns the id of a served zone by name, or "".
func (s *Server) ZoneID(name string) string {
	for _, z := range s.env.Zones {
		if z.Name == name {
			return z.ID
		}
	}
	return ""
}

// PagesSecret is the stored value of a Pages project's secret variable,
// which the API never returns: for tests that check what was written.
func (s *Server) PagesSecret(project, environment, name string) (string, bool) {
	return pages.SecretValue(s.env.Store, project, environment, name)
}

// PagesDeployment is what a direct-upload deployment was made with: its
// manifest (site path => asset hash), _headers and _redirects.
func (s *Server) PagesDeployment(project, id string) (manifest map[string]string, headers, redirects string, ok bool) {
	return pages.Deployed(s.env.Store, project, id)
}

// PagesSites finds what a hostname serves on Pages.
func (s *Server) PagesSites() *pages.Sites { return pages.NewSites(s.env) }

// PagesAssets is the content type of every file uploaded to Pages, by hash.
func (s *Server) PagesAssets() map[string]string { return pages.AssetTypes(s.env.Store) }

// Workers is a copy of what the Workers area runs (each script's latest
// deployment and its versions, the routes), for the local runtime.
func (s *Server) Workers() workers.State { return workers.Snapshot(s.env.Store) }

// Watch calls fn after every change of the API's state; fn must not block.
func (s *Server) Watch(fn func()) { s.env.Store.Watch(fn) }

// KVBridge serves the KV values, metadata and keys of the account's
// namespaces without a token or the request budget: the local runtime's
// KV bindings reach the one store through it, as a Worker's binding reaches
// KV without the REST API.
func (s *Server) KVBridge() http.Handler {
	prefix := "/client/v4/accounts/" + s.env.AccountID + "/storage/kv/namespaces/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /kv/{namespace_id}/{values|metadata|keys}..., kept escaped: a key
		// may hold a slash.
		escaped, ok := strings.CutPrefix(r.URL.EscapedPath(), "/kv/")
		ns, rest, _ := strings.Cut(escaped, "/")
		area, _, _ := strings.Cut(rest, "/")
		if !ok || ns == "" || (area != "values" && area != "metadata" && area != "keys") {
			http.NotFound(w, r)
			return
		}
		u, err := url.Parse(prefix + ns + "/" + rest)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r2 := kv.ForBinding(r.Clone(r.Context()))
		r2.URL.Path, r2.URL.RawPath = u.Path, u.RawPath
		s.env.Mux.ServeHTTP(w, r2)
	})
}

// Requests is the request log.
func (s *Server) Requests() *RequestLog { return s.requests }

// SetPropagationDelay changes how long new objects take to become visible
// to other endpoints; 0 makes every write visible at once.
func (s *Server) SetPropagationDelay(d time.Duration) { s.env.SetPropagationDelay(d) }

// SetFaults switches fault injection on (or off with the zero Faults).
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Handler is the whole API: authentication, faults, request log, routes.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Handler only finds the pattern; ServeHTTP must route the request so
		// that handlers see its path values.
		_, pattern := s.env.Mux.Handler(r)
		_, routePath, _ := strings.Cut(pattern, " ")
		routePath = strings.TrimPrefix(routePath, "/client/v4")
		if err := s.authenticate(r, routePath); err != nil {
			core.WriteError(w, err)
			return
		}
		if strings.HasPrefix(routePath, adminPrefix) {
			s.env.Mux.ServeHTTP(w, r)
			return
		}
		s.requests.record(r.Method, pattern, r.URL.Path)
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if err := s.limiter.admit(w, token); err != nil {
			core.WriteError(w, err)
			return
		}
		var h http.Handler = s.env.Mux
		switch {
		case pattern == "" && s.knownPath(r):
			h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { core.WriteError(w, core.ErrMethod) })
		case pattern == "":
			h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				core.WriteError(w, core.Errorf(http.StatusBadRequest, 7003,
					"Could not route to %s, perhaps your object identifier is invalid?", r.URL.Path), core.ErrNoRoute)
			})
		}
		s.faults.serve(w, r, h)
	})
}

// knownPath reports whether another method serves r's path.
func (s *Server) knownPath(r *http.Request) bool {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.env.Mux.Handler(probe); pattern != "" {
			return true
		}
	}
	return false
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background. It returns the base URL, ending in /client/v4.
func (s *Server) Start(addr string) (string, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("local Cloudflare API: listening on %s: %w", addr, err)
	}
	s.listener = l
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
	return s.BaseURL(), nil
}

// BaseURL is the API base URL once started.
func (s *Server) BaseURL() string { return "http://" + s.listener.Addr().String() + "/client/v4" }

// SetOrigins sets where health checks reach their addresses (the local
// edge); until then they are not run.
func (s *Server) SetOrigins(rt http.RoundTripper) { s.env.SetOrigins(rt) }

// Close stops the server and its background work.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.env.Done)
		if s.http != nil {
			err = s.http.Close()
		}
	})
	return err
}
