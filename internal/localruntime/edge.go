package localruntime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Edge serves requests as Cloudflare's edge does for the API's zones: by
// the most specific route of the request's host and path, to a version of
// the routed script chosen by the latest deployment's percentages.
func (r *Runtime) Edge() http.Handler {
	transport := &settlingTransport{r: r, base: http.DefaultTransport}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		host := req.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if isBare(host) {
			host = r.opts.BareHost
			req.Host = host
		}
		s := r.current()
		script, ok := s.routes.match("https", host, req.URL.RequestURI())
		t, deployed := s.traffic[script]
		if !ok || !deployed || len(t.Versions) == 0 {
			// Nothing runs for this request and the local stack has no
			// origins: Cloudflare answers 530 with 1016 (origin DNS error)
			// for a host of its zones, 1001 for a host it does not serve
			// (cloudflare-docs troubleshooting-cloudflare-1xxx-errors).
			if inZones(host, r.zones) {
				r.cloudflareError(w, 530, 1016, "no Worker route matches "+host+req.URL.Path+" and the local stack has no origin")
			} else {
				r.cloudflareError(w, 530, 1001, host+" is not a hostname of the local stack's zones")
			}
			return
		}
		if s.err != nil {
			r.cloudflareError(w, http.StatusInternalServerError, 1101, s.err.Error())
			return
		}
		if why, broken := s.broken[script]; broken {
			r.cloudflareError(w, http.StatusInternalServerError, 1101, script+" does not start: "+why)
			return
		}
		version := pickVersion(t, req.Header.Get("Cloudflare-Workers-Version-Overrides"))
		target, err := url.Parse(s.urls[version.Worker])
		if err != nil || s.urls[version.Worker] == "" {
			r.cloudflareError(w, http.StatusInternalServerError, 1101, "version "+version.ID+" of "+script+" is not running")
			return
		}
		proxy := &httputil.ReverseProxy{
			Rewrite: func(p *httputil.ProxyRequest) {
				p.SetURL(target)
				p.Out.Host = p.In.Host // the Worker sees the hostname it was routed by
			},
			Transport: transport,
			ErrorHandler: func(w http.ResponseWriter, req *http.Request, err error) {
				r.cloudflareError(w, http.StatusInternalServerError, 1101, fmt.Sprintf("%s: %v", script, err))
			},
		}
		proxy.ServeHTTP(w, req)
	})
}

func (r *Runtime) cloudflareError(w http.ResponseWriter, status, code int, why string) {
	cloudflareError(w, r.logf, status, code, why)
}

// cloudflareError answers as Cloudflare's edge does a client that does not
// ask for HTML: the status and "error code: N". Why goes to the log.
func cloudflareError(w http.ResponseWriter, logf func(string, ...any), status, code int, why string) {
	logf("edge answered %d, error code %d: %s", status, code, why)
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "error code: %d", code)
}

func inZones(host string, zones []string) bool {
	for _, z := range zones {
		if host == z || strings.HasSuffix(host, "."+z) {
			return true
		}
	}
	return false
}

// overrideEntry is one member of the Cloudflare-Workers-Version-Overrides
// dictionary: script="version-id" (Cloudflare's gradual deployments docs,
// "Version overrides").
var overrideEntry = regexp.MustCompile(`([A-Za-z0-9_-]+)\s*=\s*"([0-9a-fA-F-]+)"`)

// pickVersion chooses the version a request runs: the one the override
// header names when it is deployed, else one at random by the shares.
func pickVersion(t Traffic, overrides string) VersionShare {
	for _, m := range overrideEntry.FindAllStringSubmatch(overrides, -1) {
		if m[1] != t.Script {
			continue
		}
		for _, v := range t.Versions {
			if v.ID == m[2] {
				return v
			}
		}
	}
	total := 0.0
	for _, v := range t.Versions {
		total += v.Percentage
	}
	n := rand.Float64() * total
	for _, v := range t.Versions {
		if n < v.Percentage {
			return v
		}
		n -= v.Percentage
	}
	return t.Versions[len(t.Versions)-1]
}

// settlingTransport resends a request that found Miniflare restarting (a
// refused connection) once the restart is over, so a deploy never drops
// requests.
type settlingTransport struct {
	r    *Runtime
	base http.RoundTripper
}

func (t *settlingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	var opErr *net.OpError
	if err == nil || !errors.As(err, &opErr) || opErr.Op != "dial" || (req.Body != nil && req.GetBody == nil) {
		return res, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	if t.r.Settle(ctx) != nil {
		return nil, err
	}
	retry := req.Clone(req.Context())
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return t.base.RoundTrip(retry)
}

// Origins is the edge as a RoundTripper, for the local API's health checks:
// a request for any address goes through the edge's routing, as a probe
// from Cloudflare reaches a proxied hostname.
func (r *Runtime) Origins() http.RoundTripper { return edgeTransport{r.Edge()} }

type edgeTransport struct{ h http.Handler }

func (t edgeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { defer close(done); t.h.ServeHTTP(rec, req) }()
	select {
	case <-done:
		return rec.Result(), nil
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}
