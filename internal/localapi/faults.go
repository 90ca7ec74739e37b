package localapi

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Faults makes the server misbehave the way a busy Cloudflare does. Shares
// are fractions of requests (0 to 1). A server error or dropped connection
// may strike before the request is handled or after (the change was made but
// the client never hears of it), which is what makes retries dangerous.
type Faults struct {
	RateLimitShare   float64       `json:"rate_limit_share"`   // answered 429 with Retry-After
	ServerErrorShare float64       `json:"server_error_share"` // answered 500 or 503
	DropShare        float64       `json:"drop_share"`         // connection closed without an answer
	Latency          time.Duration `json:"latency"`            // added to every request
	RetryAfter       int           `json:"retry_after"`        // seconds in Retry-After; 0 means 1
	Seed             uint64        `json:"seed"`               // fixes the random sequence
}

type faultInjector struct {
	mu  sync.Mutex
	f   Faults
	rnd *rand.Rand
}

func newFaultInjector() *faultInjector { return &faultInjector{rnd: rand.New(rand.NewPCG(1, 2))} }

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.rnd = rand.New(rand.NewPCG(f.Seed, f.Seed+1))
}

type faultKind int

const (
	noFault faultKind = iota
	rateLimited
	serverErrorBefore
	serverErrorAfter
	dropBefore
	dropAfter
)

func (fi *faultInjector) draw() (faultKind, Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.f
	x := fi.rnd.Float64()
	after := fi.rnd.IntN(2) == 1
	switch {
	case x < f.RateLimitShare:
		return rateLimited, f
	case x < f.RateLimitShare+f.ServerErrorShare:
		if after {
			return serverErrorAfter, f
		}
		return serverErrorBefore, f
	case x < f.RateLimitShare+f.ServerErrorShare+f.DropShare:
		if after {
			return dropAfter, f
		}
		return dropBefore, f
	}
	return noFault, f
}

func (fi *faultInjector) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	kind, f := fi.draw()
	if f.Latency > 0 {
		time.Sleep(f.Latency)
	}
	switch kind {
	case rateLimited:
		retry := max(f.RetryAfter, 1)
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		core.WriteError(w, core.Errorf(http.StatusTooManyRequests, 971, "Please wait and consider throttling your request speed"))
	case serverErrorBefore:
		core.WriteError(w, core.Errorf(http.StatusServiceUnavailable, 10002, "An unknown error has occurred"))
	case dropBefore:
		drop(w)
	case serverErrorAfter, dropAfter:
		h.ServeHTTP(httptest.NewRecorder(), r) // the change happens, the answer is lost
		if kind == dropAfter {
			drop(w)
			return
		}
		core.WriteError(w, core.Errorf(http.StatusInternalServerError, 10002, "An unknown error has occurred"))
	default:
		h.ServeHTTP(w, r)
	}
}

func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // the server closes the connection
}
