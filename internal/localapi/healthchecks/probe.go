package healthchecks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/alerting"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// tick is how often the runner looks for checks that are due.
const tick = 50 * time.Millisecond

// run probes each check when its interval (scaled) has passed since its
// last probe, one probe per check at a time, until the server stops.
func (a *area) run() {
	busy := map[string]bool{}
	done := make(chan string)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-a.env.Done:
			return
		case id := <-done:
			delete(busy, id)
		case <-t.C:
			origins := a.env.Origins()
			if origins == nil {
				continue // nothing to reach: statuses stay as they are
			}
			now := a.env.Now()
			var due []Check
			a.env.Store.Read(func() {
				for _, c := range a.state.Checks {
					if !c.Suspended && c.HTTPConfig != nil && !busy[c.ID] && !now.Before(c.LastProbe.Add(a.env.Scaled(time.Duration(c.Interval)*time.Second))) {
						due = append(due, c.Check)
					}
				}
			})
			for _, c := range due {
				busy[c.ID] = true
				go func() {
					reason := a.probe(origins, c)
					a.record(c.ID, reason)
					select {
					case done <- c.ID:
					case <-a.env.Done:
					}
				}()
			}
		}
	}
}

// probe sends the check's request, retrying a timeout as often as the
// check says, and returns why it failed ("" when it passed), in the words
// of Cloudflare's monitor failure reasons (load balancing troubleshooting
// docs: "HTTP timeout occurred", "Response code mismatch error", "Response
// body mismatch error", "TCP connection failed").
func (a *area) probe(origins http.RoundTripper, c Check) string {
	h := c.HTTPConfig
	scheme := strings.ToLower(c.Type)
	host := c.Address
	if h.Port != map[string]int{"http": 80, "https": 443}[scheme] {
		host = fmt.Sprintf("%s:%d", c.Address, h.Port)
	}
	url := scheme + "://" + host + h.Path
	var reason string
	for attempt := 0; attempt <= c.Retries; attempt++ {
		// The timeout is the origin's time to answer, which no time scale
		// shortens; only the schedule is scaled.
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.Timeout)*time.Second)
		reason = a.once(ctx, origins, c, url)
		cancel()
		if reason != "HTTP timeout occurred" {
			return reason // only timeouts are retried (the API schema's retries)
		}
	}
	return reason
}

func (a *area) once(ctx context.Context, origins http.RoundTripper, c Check, url string) string {
	h := c.HTTPConfig
	req, err := http.NewRequestWithContext(ctx, h.Method, url, nil)
	if err != nil {
		return "TCP connection failed"
	}
	for name, values := range h.Header {
		for _, v := range values {
			req.Header.Add(name, v)
		}
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host // a Host header names the site, as Cloudflare recommends setting one
	}
	// Cloudflare sets the User-Agent itself (it "cannot be overridden",
	// cloudflare-go v7 HTTPConfiguration); its value here is assumed, in
	// the form of Cloudflare's load balancing monitors.
	req.Header.Set("User-Agent", "Mozilla/5.0 (compatible; Cloudflare-Traffic-Manager/1.0; +https://www.cloudflare.com/traffic-manager/)")
	client := &http.Client{Transport: origins}
	if !h.FollowRedirects {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	res, err := client.Do(req)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return "HTTP timeout occurred"
	case err != nil:
		return "TCP connection failed"
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 10<<10))
	if !expected(h.ExpectedCodes, res.StatusCode) {
		return "Response code mismatch error"
	}
	if h.ExpectedBody != "" && !strings.Contains(strings.ToLower(string(body)), strings.ToLower(h.ExpectedBody)) {
		return "Response body mismatch error"
	}
	return ""
}

func expected(codes []string, status int) bool {
	s := strconv.Itoa(status)
	for _, c := range codes {
		if c == s || strings.HasSuffix(c, "xx") && c[0] == s[0] {
			return true
		}
	}
	return false
}

// record counts a probe's result; enough in a row change the status, and a
// change fires the health check alerts.
func (a *area) record(id, reason string) {
	_ = a.env.Store.Write(func() *core.Error {
		var c *stored
		for _, s := range a.state.Checks {
			if s.ID == id {
				c = s
			}
		}
		if c == nil || c.Suspended {
			return nil // deleted or suspended meanwhile
		}
		now := a.env.Now()
		c.LastProbe = now
		before := c.Status
		if reason == "" {
			c.Fails, c.Successes = 0, c.Successes+1
			if c.Successes >= c.ConsecutiveSuccesses {
				c.Status, c.FailureReason = "healthy", ""
			}
		} else {
			c.Successes, c.Fails = 0, c.Fails+1
			if c.Fails >= c.ConsecutiveFails {
				c.Status, c.FailureReason = "unhealthy", reason
			}
		}
		if c.Status != before && (c.Status == "unhealthy" || before == "unhealthy") {
			status := map[string]string{"healthy": "Healthy", "unhealthy": "Unhealthy"}[c.Status]
			body := fmt.Sprintf("Health check %s (%s) is now %s.", c.Name, c.Address, status)
			if c.FailureReason != "" {
				body += " Reason: " + c.FailureReason + "."
			}
			a.alerts.Dispatch(now, alerting.Alert{
				Type: "health_check_status_notification", Body: body,
				Filters: map[string]string{"health_check_id": c.ID, "status": status},
			})
		}
		return nil
	})
}
