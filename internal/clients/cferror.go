package clients

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// APIError is a failed answer of the Cloudflare API: its HTTP status and the
// errors of the envelope, with the codes Cloudflare nests in error_chain
// (a malformed Authorization header answers 6003 with 6111 inside).
type APIError struct {
	Method string
	Path   string
	Status int
	Errors []APIErrorItem
	// Permission is the token permission the request needs, named as the
	// dashboard names it, for the hint of a 403.
	Permission string
}

// APIErrorItem is one entry of an envelope's errors.
type APIErrorItem struct {
	Code       int            `json:"code"`
	Message    string         `json:"message"`
	ErrorChain []APIErrorItem `json:"error_chain,omitempty"`
}

func (e *APIError) Error() string {
	var parts []string
	var walk func(items []APIErrorItem)
	walk = func(items []APIErrorItem) {
		for _, it := range items {
			parts = append(parts, fmt.Sprintf("%s (code %d)", strings.TrimSuffix(it.Message, "."), it.Code))
			walk(it.ErrorChain)
		}
	}
	walk(e.Errors)
	if len(parts) == 0 {
		parts = append(parts, http.StatusText(e.Status))
	}
	msg := fmt.Sprintf("%s /%s: HTTP %d: %s", e.Method, e.Path, e.Status, strings.Join(parts, "; "))
	switch {
	case e.Status == http.StatusForbidden && e.Permission != "":
		msg += fmt.Sprintf(". The API token is not valid for this account or lacks the permission %q: "+
			"add it to the token (dashboard: My Profile > API Tokens) or use a token that has it", e.Permission)
	case e.Status == http.StatusBadRequest && HasCode(e, codeInvalidHeaders):
		msg += ". The API token is malformed: copy it again from the dashboard (a Cloudflare API token is 40 characters)"
	}
	return msg
}

// Codes are every error code of the answer, those in error chains included.
func (e *APIError) Codes() []int {
	var out []int
	var walk func(items []APIErrorItem)
	walk = func(items []APIErrorItem) {
		for _, it := range items {
			out = append(out, it.Code)
			walk(it.ErrorChain)
		}
	}
	walk(e.Errors)
	return out
}

// Codes Cloudflare answers that the call layer itself decides on.
const (
	codeInvalidHeaders = 6003 // with 6111 in the chain: malformed Authorization header
	codeRateLimited    = 971
)

// goneCodes are Cloudflare's "does not exist" codes for the objects this
// provider manages. Some come with HTTP 404; for others (a route read by id
// answers 10007, a secret 10056) no source shows the status, so the code
// decides as well as the status.
var goneCodes = map[int]bool{
	10007:   true, // Worker not found (also a route read by id: DIST workers.test.ts)
	10090:   true, // Worker service not found
	10013:   true, // KV namespace not found
	10009:   true, // Worker route not found (update, delete)
	10056:   true, // Worker secret not found
	8000007: true, // Pages project not found (wrangler pages/secret/index.ts)
	8000015: true, // Pages custom domain not found
	81044:   true, // DNS record does not exist
}

// StatusOf is the HTTP status of an API answer, 0 for any other error.
func StatusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

// HasCode reports whether err is an API answer carrying code, in its
// errors or their chains.
func HasCode(err error, code int) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	for _, c := range apiErr.Codes() {
		if c == code {
			return true
		}
	}
	return false
}

// IsGone reports whether err says the object does not exist (any more).
func IsGone(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.Status == http.StatusNotFound {
		return true
	}
	for _, c := range apiErr.Codes() {
		if goneCodes[c] {
			return true
		}
	}
	return false
}

// IsAmbiguous reports whether a request may or may not have taken effect:
// Cloudflare failed after receiving it (5xx) or the answer was lost. A
// request that never left (no connection) or that the user interrupted is
// not ambiguous, nor is any error that did not come from sending one.
func IsAmbiguous(err error) bool {
	var apiErr *APIError
	var notSent *notSentError
	var sendErr *url.Error
	switch {
	case err == nil, errors.As(err, &notSent), errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &apiErr):
		return apiErr.Status >= 500
	}
	return errors.As(err, &sendErr)
}

// notSentError is a request that never reached Cloudflare (the connection
// could not be made): nothing can have happened.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }
