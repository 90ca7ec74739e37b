package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DefaultBaseURL is Cloudflare's v4 API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// maxAnswer bounds what is read of one answer (a script's content is at
// most 10 MiB on a paid plan).
const maxAnswer = 64 << 20

// CloudflareConfig is the resolved `cloudflare` provider block.
type CloudflareConfig struct {
	APIToken   string
	AccountID  string
	BaseURL    string
	UserAgent  string
	Limit      LimitConfig
	MaxRetries int
}

// Cloudflare is the one way the provider talks to the Cloudflare v4 API:
// requests built from escaped paths, answers read from Cloudflare's
// envelope into typed results or *APIError, pages followed, and every
// request through the shared transport (rate limit, retries, masked logs).
type Cloudflare struct {
	AccountID string
	baseURL   string
	token     string
	userAgent string
	http      *http.Client
	shared    sharedReads
}

func newCloudflare(cfg CloudflareConfig) *Cloudflare {
	t := newTransport(cfg.Limit, cfg.MaxRetries, cfg.APIToken)
	return &Cloudflare{
		AccountID: cfg.AccountID,
		baseURL:   strings.TrimSuffix(cfg.BaseURL, "/"),
		token:     cfg.APIToken,
		userAgent: cfg.UserAgent,
		http:      &http.Client{Transport: t},
	}
}

// Path joins path segments, escaping each one: a name with a slash or a
// space stays one segment.
func Path(segments ...string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	return strings.Join(escaped, "/")
}

// Account is the path of an account-scoped endpoint of the configured account.
func (c *Cloudflare) Account(segments ...string) string {
	return Path(append([]string{"accounts", c.AccountID}, segments...)...)
}

// Zone is the path of a zone-scoped endpoint.
func Zone(zoneID string, segments ...string) string {
	return Path(append([]string{"zones", zoneID}, segments...)...)
}

// Call is one request.
type Call struct {
	Method string
	Path   string // from Path, Account or Zone
	Query  url.Values
	// JSON is encoded as the body; Body with ContentType is sent as it is
	// (multipart uploads). Both empty: no body.
	JSON        any
	Body        []byte
	ContentType string
	// Token is sent as the Bearer instead of the API token: Pages' direct
	// upload authenticates its asset calls with the project's upload token.
	Token string
}

// ResultInfo is the pagination block of a list answer.
type ResultInfo struct {
	Page       int    `json:"page"`
	PerPage    int    `json:"per_page"`
	Count      int    `json:"count"`
	TotalCount int    `json:"total_count"`
	TotalPages int    `json:"total_pages"`
	Cursor     string `json:"cursor"`
}

type envelope struct {
	Success    bool            `json:"success"`
	Errors     []APIErrorItem  `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *ResultInfo     `json:"result_info"`
}

// Do sends call and decodes the envelope's result into out (nil discards it).
func (c *Cloudflare) Do(ctx context.Context, call Call, out any) error {
	_, err := c.do(ctx, call, out)
	return err
}

func (c *Cloudflare) do(ctx context.Context, call Call, out any) (*ResultInfo, error) {
	resp, err := c.send(ctx, call)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("%s /%s: reading the answer: %w", call.Method, call.Path, err)
	}
	var env envelope
	decodeErr := json.Unmarshal(data, &env)
	if resp.StatusCode >= 300 || decodeErr != nil || !env.Success {
		if decodeErr != nil && resp.StatusCode < 300 {
			return nil, fmt.Errorf("%s /%s: the answer is not Cloudflare's JSON envelope: %w", call.Method, call.Path, decodeErr)
		}
		return nil, &APIError{Method: call.Method, Path: call.Path, Status: resp.StatusCode, Errors: env.Errors, Permission: permissionFor(call.Method, call.Path)}
	}
	if out != nil && len(env.Result) > 0 && string(env.Result) != "null" {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return nil, fmt.Errorf("%s /%s: reading the result: %w", call.Method, call.Path, err)
		}
	}
	return env.ResultInfo, nil
}

// Download is a GET whose answer is not enveloped (a Worker's code): the
// body and its content type. A failure is still an enveloped *APIError.
func (c *Cloudflare) Download(ctx context.Context, path string) (contentType string, body []byte, err error) {
	call := Call{Method: http.MethodGet, Path: path}
	resp, err := c.send(ctx, call)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", nil, fmt.Errorf("GET /%s: reading the answer: %w", path, err)
	}
	if resp.StatusCode >= 300 {
		var env envelope
		_ = json.Unmarshal(data, &env) // a failure without an envelope still has its status
		return "", nil, &APIError{Method: call.Method, Path: path, Status: resp.StatusCode, Errors: env.Errors, Permission: permissionFor(call.Method, path)}
	}
	return resp.Header.Get("Content-Type"), data, nil
}

func (c *Cloudflare) send(ctx context.Context, call Call) (*http.Response, error) {
	u := c.baseURL + "/" + call.Path
	if len(call.Query) > 0 {
		u += "?" + call.Query.Encode()
	}
	var body io.Reader
	contentType := call.ContentType
	switch {
	case call.JSON != nil:
		data, err := json.Marshal(call.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s /%s: encoding the request: %w", call.Method, call.Path, err)
		}
		body, contentType = bytes.NewReader(data), "application/json"
	case call.Body != nil:
		body = bytes.NewReader(call.Body)
	}
	req, err := http.NewRequestWithContext(ctx, call.Method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s /%s: %w", call.Method, call.Path, err)
	}
	token := c.token
	if call.Token != "" {
		token = call.Token
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.http.Do(req)
	if call.Method != http.MethodGet && call.Method != http.MethodHead {
		c.shared.written(call.Path) // answered or not, the write may have happened
	}
	if err != nil {
		return nil, fmt.Errorf("%s /%s: %w", call.Method, call.Path, err)
	}
	return resp, nil
}

// Get reads one object.
func Get[T any](ctx context.Context, c *Cloudflare, path string, query url.Values) (T, error) {
	var out T
	err := c.Do(ctx, Call{Method: http.MethodGet, Path: path, Query: query}, &out)
	return out, err
}

// List reads every page of a page-numbered list, asking perPage items a
// page (the endpoint's documented maximum; 0 leaves per_page to Cloudflare
// where no maximum is documented). It stops at the last page that
// result_info names; without one, at a page shorter than the page size
// Cloudflare reports, or at an empty page. The page size Cloudflare
// reports wins over the one asked for: Cloudflare cuts per_page to its
// maximum, so a short page compared with the size asked for proves nothing.
func List[T any](ctx context.Context, c *Cloudflare, path string, query url.Values, perPage int) ([]T, error) {
	all, complete, err := listPages[T](ctx, c, path, query, perPage, maxPages)
	if err == nil && !complete {
		return nil, fmt.Errorf("GET /%s: more than %d pages; giving up", path, maxPages)
	}
	return all, err
}

// listPages reads at most limit pages; complete says it reached the end.
func listPages[T any](ctx context.Context, c *Cloudflare, path string, query url.Values, perPage, limit int) (all []T, complete bool, err error) {
	for page := 1; page <= limit; page++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", fmt.Sprint(page))
		if perPage > 0 {
			q.Set("per_page", fmt.Sprint(perPage))
		}
		var items []T
		info, err := c.do(ctx, Call{Method: http.MethodGet, Path: path, Query: q}, &items)
		if err != nil {
			return nil, false, err
		}
		all = append(all, items...)
		size := perPage
		if info != nil && info.PerPage > 0 {
			size = info.PerPage
		}
		switch {
		case len(items) == 0:
			return all, true, nil
		case info != nil && info.TotalPages > 0:
			if page >= info.TotalPages {
				return all, true, nil
			}
		case size > 0 && len(items) < size:
			return all, true, nil
		}
	}
	return all, false, nil
}

// maxPages guards against an endpoint that never stops answering pages.
const maxPages = 10_000

// permissionFor names the API token permission a request needs, as the
// token editor of the dashboard lists them, for the hint of a 403.
func permissionFor(method, path string) string {
	level := "Edit"
	if method == http.MethodGet || method == http.MethodHead {
		level = "Read"
	}
	area := ""
	switch {
	case strings.Contains(path, "/storage/kv/"):
		area = "Account · Workers KV Storage"
	case strings.HasPrefix(path, "zones/") && strings.Contains(path, "/workers/routes"):
		area = "Zone · Workers Routes"
	case strings.Contains(path, "/workers/"):
		area = "Account · Workers Scripts"
	case strings.Contains(path, "/pages/"):
		area = "Account · Cloudflare Pages"
	case strings.Contains(path, "/dns_records"):
		area = "Zone · DNS"
	case strings.Contains(path, "/healthchecks"):
		area = "Zone · Health Checks"
	case strings.Contains(path, "/alerting/"):
		area = "Account · Notifications"
	case strings.HasPrefix(path, "zones"):
		area, level = "Zone · Zone", "Read"
	default:
		return ""
	}
	return area + " · " + level
}
