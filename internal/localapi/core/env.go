package core

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Zone is a zone the server was configured to serve.
type Zone struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Env is what an API area is given to register its routes: the account and
// zones served, the state store and the router.
type Env struct {
	AccountID   string
	AccountName string
	Zones       []Zone
	Store       *Store
	Mux         *http.ServeMux
	// Now is the clock; tests of time-dependent validation may replace it.
	Now func() time.Time
	// TimeScale shortens the service's own schedules (health check
	// intervals) for tests: 0.01 runs a 300 s interval every 3 s. 0 is 1.
	TimeScale float64
	// Done is closed when the server stops; background work ends with it.
	Done chan struct{}
	// delay is how long a new object takes to become visible to the other
	// endpoints (nanoseconds, atomic: settable while serving).
	delay atomic.Int64
	// origins is how the service reaches origins (health checks probe them).
	origins atomic.Pointer[http.RoundTripper]
}

// SetOrigins sets how the service reaches origins: the local stack has no
// internet, so health checks go where this sends them (the local edge).
func (e *Env) SetOrigins(rt http.RoundTripper) { e.origins.Store(&rt) }

// Origins is what SetOrigins set, or nil: no origin is reachable.
func (e *Env) Origins() http.RoundTripper {
	if p := e.origins.Load(); p != nil {
		return *p
	}
	return nil
}

// Scaled is d on the service's schedule, shortened by TimeScale.
func (e *Env) Scaled(d time.Duration) time.Duration {
	if e.TimeScale <= 0 {
		return d
	}
	return time.Duration(float64(d) * e.TimeScale)
}

// SetPropagationDelay sets how long an object takes, after it was created,
// to become visible to endpoints other than its own. Cloudflare is
// eventually consistent: a route created right after its script was
// uploaded can be refused with 10019 (DIST PR #368, probed live), an upload
// binding a KV namespace created a moment before with 10041 (an alchemy
// test retries it: "a just-created target not yet visible to validation").
func (e *Env) SetPropagationDelay(d time.Duration) { e.delay.Store(int64(d)) }

// PropagationDelay is the delay in effect.
func (e *Env) PropagationDelay() time.Duration { return time.Duration(e.delay.Load()) }

// Visible reports whether an object created at created is visible to other
// endpoints yet.
func (e *Env) Visible(created time.Time) bool {
	return !e.Now().Before(created.Add(e.PropagationDelay()))
}

// HandlerFunc serves one route. It returns the result to wrap in the
// envelope: a value (HTTP 200), a *Page, a Raw body, or an *Error.
type HandlerFunc func(r *http.Request) (any, *Error)

// Raw is a response that is not enveloped (for example script content).
type Raw struct {
	ContentType string
	Body        []byte
}

// Handle registers a route under /client/v4. The pattern is Go's
// "METHOD /path/{wildcard}" form with Cloudflare's path; {account_id} and
// {zone_id} are checked against what the server serves before h runs.
func (e *Env) Handle(pattern string, h HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	e.Mux.HandleFunc(method+" /client/v4"+path, func(w http.ResponseWriter, r *http.Request) {
		if err := e.checkScope(r); err != nil {
			WriteError(w, err)
			return
		}
		result, apiErr := h(r)
		switch {
		case apiErr != nil:
			WriteError(w, apiErr)
		case result == nil:
			WriteResult(w, http.StatusOK, nil, nil)
		default:
			switch v := result.(type) {
			case *Page:
				WriteResult(w, http.StatusOK, v.Items, &v.Info)
			case *CursorPage:
				WriteResult(w, http.StatusOK, v.Items, &v.Info)
			case Raw:
				w.Header().Set("Content-Type", v.ContentType)
				_, _ = w.Write(v.Body)
			default:
				WriteResult(w, http.StatusOK, v, nil)
			}
		}
	})
}

func (e *Env) checkScope(r *http.Request) *Error {
	if a := r.PathValue("account_id"); a != "" && a != e.AccountID {
		return Errorf(http.StatusForbidden, 9109, "Unauthorized to access requested resource")
	}
	if z := r.PathValue("zone_id"); z != "" {
		if _, ok := e.Zone(z); !ok {
			return Errorf(http.StatusBadRequest, 7003, "Could not route to %s, perhaps your object identifier is invalid?", r.URL.Path)
		}
	}
	return nil
}

// Zone finds a served zone by id.
func (e *Env) Zone(id string) (Zone, bool) {
	for _, z := range e.Zones {
		if z.ID == id {
			return z, true
		}
	}
	return Zone{}, false
}

// Timestamp formats t as the API does.
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// NewID returns a random 32-hex-digit identifier, the shape of Cloudflare's ids.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
