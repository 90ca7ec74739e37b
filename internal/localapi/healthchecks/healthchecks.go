// Package healthchecks serves a zone's standalone health checks,
// /zones/{zone_id}/healthchecks, in the shapes of cloudflare-go v7
// (healthchecks.Healthcheck), and runs them: each check probes its address
// at its interval through the origins the server is given (the local edge),
// keeps its status and failure reason, and fires the account's
// health_check_status_notification policies when its status changes.
package healthchecks

import (
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/alerting"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Check is a stored health check with what its probes found.
type Check struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	Description          string      `json:"description"`
	Address              string      `json:"address"`
	Type                 string      `json:"type"`
	CheckRegions         []string    `json:"check_regions"`
	ConsecutiveFails     int         `json:"consecutive_fails"`
	ConsecutiveSuccesses int         `json:"consecutive_successes"`
	Interval             int         `json:"interval"`
	Retries              int         `json:"retries"`
	Timeout              int         `json:"timeout"`
	Suspended            bool        `json:"suspended"`
	HTTPConfig           *HTTPConfig `json:"http_config"`
	TCPConfig            *TCPConfig  `json:"tcp_config"`
	Status               string      `json:"status"`
	FailureReason        string      `json:"failure_reason"`
	CreatedOn            time.Time   `json:"created_on"`
	ModifiedOn           time.Time   `json:"modified_on"`
}

// HTTPConfig is an HTTP or HTTPS check's request (cloudflare-go v7
// HTTPConfiguration).
type HTTPConfig struct {
	AllowInsecure   bool                `json:"allow_insecure"`
	ExpectedBody    string              `json:"expected_body"`
	ExpectedCodes   []string            `json:"expected_codes"`
	FollowRedirects bool                `json:"follow_redirects"`
	Header          map[string][]string `json:"header"`
	Method          string              `json:"method"`
	Path            string              `json:"path"`
	Port            int                 `json:"port"`
}

// TCPConfig is a TCP check's (stored; the local stack cannot probe TCP).
type TCPConfig struct {
	Method string `json:"method"`
	Port   int    `json:"port"`
}

// stored is a check in the persisted state with its probe counters.
type stored struct {
	Check
	Zone      string    `json:"zone_id"`
	Fails     int       `json:"fails"`
	Successes int       `json:"successes"`
	LastProbe time.Time `json:"last_probe"`
}

// State is this area's section of the persisted state.
type State struct {
	Checks []*stored `json:"checks"`
}

const section = "healthchecks"

var (
	errNotFound = core.Errorf(http.StatusNotFound, 1002, "Health check not found")
	nameShape   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	hostShape   = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	codeShape   = regexp.MustCompile(`^[1-5]([0-9]{2}|xx)$`)
)

// The body the API takes, with Cloudflare's defaults for what is left out
// (the API schema: interval 60, retries 2, timeout 5, consecutive fails
// and successes 1, type HTTP; http_config method GET, path /, expected
// codes 200, port 80 or 443).
type input struct {
	Name                 string      `json:"name"`
	Description          string      `json:"description"`
	Address              string      `json:"address"`
	Type                 *string     `json:"type"`
	CheckRegions         []string    `json:"check_regions"`
	ConsecutiveFails     *int        `json:"consecutive_fails"`
	ConsecutiveSuccesses *int        `json:"consecutive_successes"`
	Interval             *int        `json:"interval"`
	Retries              *int        `json:"retries"`
	Timeout              *int        `json:"timeout"`
	Suspended            bool        `json:"suspended"`
	HTTPConfig           *HTTPConfig `json:"http_config"`
	TCPConfig            *TCPConfig  `json:"tcp_config"`
}

func or(p *int, d int) int {
	if p == nil {
		return d
	}
	return *p
}

// Codes: the health checks API's validation codes are not documented;
// 1002 and 1003 are assumed, under 400.
func invalid(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, 1003, format, args...)
}

func (in input) check() (Check, *core.Error) {
	c := Check{
		Name: in.Name, Description: in.Description, Address: in.Address, Type: "HTTP", CheckRegions: in.CheckRegions,
		ConsecutiveFails: or(in.ConsecutiveFails, 1), ConsecutiveSuccesses: or(in.ConsecutiveSuccesses, 1),
		Interval: or(in.Interval, 60), Retries: or(in.Retries, 2), Timeout: or(in.Timeout, 5), Suspended: in.Suspended,
	}
	if in.Type != nil {
		c.Type = *in.Type
	}
	switch {
	case !nameShape.MatchString(c.Name):
		return c, invalid("name %q: only alphanumeric characters, hyphens and underscores are allowed", c.Name)
	case net.ParseIP(c.Address) == nil && !hostShape.MatchString(c.Address):
		return c, invalid("address %q is not a hostname or IP address", c.Address)
	case !slices.Contains([]string{"HTTP", "HTTPS", "TCP"}, c.Type):
		return c, invalid("type %q: the supported protocols are HTTP, HTTPS and TCP", c.Type)
	// Intervals below a minute need a Business plan or better (Cloudflare's
	// health checks docs); the strictest plan that has health checks is
	// assumed. The other bounds are assumed too.
	case c.Interval < 60 || c.Interval > 3600:
		return c, invalid("interval %d: must be between 60 and 3600 seconds", c.Interval)
	case c.Timeout < 1 || c.Timeout >= c.Interval:
		return c, invalid("timeout %d: must be at least 1 second and shorter than the interval", c.Timeout)
	case c.Retries < 0 || c.Retries > 5:
		return c, invalid("retries %d: must be between 0 and 5", c.Retries)
	case c.ConsecutiveFails < 1 || c.ConsecutiveSuccesses < 1:
		return c, invalid("consecutive_fails and consecutive_successes must be at least 1")
	}
	if c.Type == "TCP" {
		c.TCPConfig = &TCPConfig{Method: "connection_established", Port: 80}
		if in.TCPConfig != nil {
			c.TCPConfig = in.TCPConfig
		}
		return c, nil
	}
	h := HTTPConfig{Method: "GET", Path: "/", ExpectedCodes: []string{"200"}}
	if in.HTTPConfig != nil {
		h = *in.HTTPConfig
		if h.Method == "" {
			h.Method = "GET"
		}
		if h.Path == "" {
			h.Path = "/"
		}
		if h.ExpectedCodes == nil {
			h.ExpectedCodes = []string{"200"}
		}
	}
	if h.Port == 0 {
		h.Port = map[string]int{"HTTP": 80, "HTTPS": 443}[c.Type]
	}
	if h.Method != "GET" && h.Method != "HEAD" {
		return c, invalid("http_config.method %q: GET or HEAD", h.Method)
	}
	for _, code := range h.ExpectedCodes {
		if !codeShape.MatchString(code) {
			return c, invalid("http_config.expected_codes: %q is not a status code (\"200\") or range (\"2xx\")", code)
		}
	}
	if _, ok := h.Header["User-Agent"]; ok {
		return c, invalid("http_config.header: the User-Agent header cannot be overridden")
	}
	c.HTTPConfig = &h
	return c, nil
}

// decode reads a request's health check with Cloudflare's defaults.
func decode(r *http.Request) (Check, *core.Error) {
	var in input
	if err := core.DecodeJSON(r, &in); err != nil {
		return Check{}, err
	}
	return in.check()
}

// Register adds the routes of this area and starts running the checks.
func Register(env *core.Env) error {
	state := &State{}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	a := &area{env: env, state: state, alerts: alerting.StateOf(env.Store)}
	a.routes()
	go a.run()
	return nil
}

type area struct {
	env    *core.Env
	state  *State
	alerts *alerting.State
}

func (a *area) find(zone, id string) *stored {
	for _, c := range a.state.Checks {
		if c.Zone == zone && c.ID == id {
			return c
		}
	}
	return nil
}

func (a *area) routes() {
	const base = "/zones/{zone_id}/healthchecks"
	a.env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		var out []Check
		a.env.Store.Read(func() {
			for _, c := range a.state.Checks {
				if c.Zone == r.PathValue("zone_id") {
					out = append(out, c.Check)
				}
			}
		})
		// per_page "Must be a multiple of 5" (cloudflare-go v7
		// HealthcheckListParams); 25 by default and at most 1,000 are assumed.
		if pp := r.URL.Query().Get("per_page"); pp != "" {
			if n, err := strconv.Atoi(pp); err != nil || n%5 != 0 {
				return nil, invalid("per_page %q must be a multiple of 5", pp)
			}
		}
		return core.Paginate(r, out, core.PageSize{Default: 25, Min: 5, Max: 1000})
	})
	a.env.Handle("GET "+base+"/{healthcheck_id}", func(r *http.Request) (any, *core.Error) {
		var out Check
		err := errNotFound
		a.env.Store.Read(func() {
			if c := a.find(r.PathValue("zone_id"), r.PathValue("healthcheck_id")); c != nil {
				out, err = c.Check, nil
			}
		})
		return out, err
	})
	a.env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		c, err := decode(r)
		if err != nil {
			return nil, err
		}
		c.ID, c.Status = core.NewID(), "unknown"
		if c.Suspended {
			c.Status = "suspended"
		}
		c.CreatedOn = a.env.Now().UTC()
		c.ModifiedOn = c.CreatedOn
		err = a.env.Store.Write(func() *core.Error {
			a.state.Checks = append(a.state.Checks, &stored{Check: c, Zone: r.PathValue("zone_id")})
			return nil
		})
		return c, err
	})
	// PUT replaces the configuration; what the probes found stays, unless
	// the check is suspended or resumed.
	a.env.Handle("PUT "+base+"/{healthcheck_id}", func(r *http.Request) (any, *core.Error) {
		c, err := decode(r)
		if err != nil {
			return nil, err
		}
		var out Check
		err = a.env.Store.Write(func() *core.Error {
			s := a.find(r.PathValue("zone_id"), r.PathValue("healthcheck_id"))
			if s == nil {
				return errNotFound
			}
			c.ID, c.CreatedOn, c.ModifiedOn = s.ID, s.CreatedOn, a.env.Now().UTC()
			c.Status, c.FailureReason = s.Status, s.FailureReason
			switch {
			case c.Suspended:
				c.Status, c.FailureReason = "suspended", ""
			case s.Suspended:
				c.Status = "unknown"
				s.Fails, s.Successes = 0, 0
			}
			s.Check = c
			out = c
			return nil
		})
		return out, err
	})
	a.env.Handle("DELETE "+base+"/{healthcheck_id}", func(r *http.Request) (any, *core.Error) {
		id := r.PathValue("healthcheck_id")
		err := a.env.Store.Write(func() *core.Error {
			i := slices.IndexFunc(a.state.Checks, func(c *stored) bool { return c.Zone == r.PathValue("zone_id") && c.ID == id })
			if i < 0 {
				return errNotFound
			}
			a.state.Checks = slices.Delete(a.state.Checks, i, i+1)
			return nil
		})
		return map[string]string{"id": id}, err
	})
}
