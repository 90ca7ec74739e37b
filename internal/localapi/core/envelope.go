// Package core holds what every area of the local Cloudflare API shares:
// the v4 response envelope, errors with Cloudflare's codes, page-number
// pagination, the persisted state store and route registration.
package core

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Error is an API failure as Cloudflare reports it: an HTTP status and a
// numeric code with a message inside the envelope, and the codes Cloudflare
// nests under it (error_chain: a malformed Authorization header answers
// 6003 with 6111 inside, mailflare#1).
type Error struct {
	Status  int
	Code    int
	Message string
	Chain   []*Error
}

func (e *Error) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// Errorf builds an *Error.
func Errorf(status, code int, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Codes shared across areas.
var (
	ErrMalformedJSON = Errorf(http.StatusBadRequest, 6007, "Malformed JSON in request body")
	ErrNoRoute       = Errorf(http.StatusBadRequest, 7000, "No route for that URI")
	// A wrong method on a known path (DIST kv/deleteNamespace.json).
	ErrMethod = Errorf(http.StatusMethodNotAllowed, 10405, "Method not allowed")
	// Well-formed but unknown, expired or under-privileged tokens
	// (mailflare#1, TPC#3292; wrangler workers-auth factory.ts treats it so).
	ErrAuthentication = Errorf(http.StatusForbidden, 10000, "Authentication error")
)

// ErrBadAuthHeader is a missing or malformed Authorization header.
func ErrBadAuthHeader() *Error {
	e := Errorf(http.StatusBadRequest, 6003, "Invalid request headers")
	e.Chain = []*Error{Errorf(http.StatusBadRequest, 6111, "Invalid format for Authorization header")}
	return e
}

type errorItem struct {
	Code       int         `json:"code"`
	Message    string      `json:"message"`
	ErrorChain []errorItem `json:"error_chain,omitempty"`
}

func (e *Error) item() errorItem {
	it := errorItem{Code: e.Code, Message: e.Message}
	for _, c := range e.Chain {
		it.ErrorChain = append(it.ErrorChain, c.item())
	}
	return it
}

// ResultInfo is the pagination block of a list response.
type ResultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

type envelope struct {
	Success    bool        `json:"success"`
	Errors     []errorItem `json:"errors"`
	Messages   []any       `json:"messages"`
	Result     any         `json:"result"`
	ResultInfo any         `json:"result_info,omitempty"`
}

// CursorInfo is the pagination block of the lists Cloudflare pages by
// cursor (KV keys: cloudflare-go v7 kv.NamespaceKeyListResponse's
// result_info holds count and cursor, "" on the last page).
type CursorInfo struct {
	Count  int    `json:"count"`
	Cursor string `json:"cursor"`
}

// CursorPage is a list result with a CursorInfo.
type CursorPage struct {
	Items any
	Info  CursorInfo
}

// WriteResult answers with a successful envelope around result; info is a
// *ResultInfo, a *CursorInfo or nil.
func WriteResult(w http.ResponseWriter, status int, result any, info any) {
	writeJSON(w, status, envelope{Success: true, Errors: []errorItem{}, Messages: []any{}, Result: result, ResultInfo: info})
}

// WriteError answers with a failed envelope; the first error sets the status.
func WriteError(w http.ResponseWriter, errs ...*Error) {
	items := make([]errorItem, len(errs))
	for i, e := range errs {
		items[i] = e.item()
	}
	writeJSON(w, errs[0].Status, envelope{Success: false, Errors: items, Messages: []any{}, Result: nil})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads a JSON request body into v.
func DecodeJSON(r *http.Request, v any) *Error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return ErrMalformedJSON
	}
	return nil
}

// Page is a list result cut to the page the request asks for with
// `page` and `per_page`. Past the last page it is empty, as Cloudflare's is:
// Cloudflare's own SDKs stop paging only on an empty page.
type Page struct {
	Items any
	Info  ResultInfo
}

// PageSize is an endpoint's page size: its default and the bounds
// Cloudflare's API schema gives. A per_page outside them is cut to them, as
// Cloudflare does (wrangler's kv namespace list sends per_page=1000 to an
// endpoint whose maximum is 100, kv/index.ts, and works), so a client that
// stops at a page shorter than what it asked for stops too early.
type PageSize struct{ Default, Min, Max int }

// Paginate cuts items to the requested page.
func Paginate[T any](r *http.Request, items []T, size PageSize) (*Page, *Error) {
	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		return nil, Errorf(http.StatusBadRequest, 1001, "page must be a positive integer")
	}
	perPage, err := queryInt(r, "per_page", size.Default)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, 1001, "per_page must be an integer")
	}
	perPage = min(max(perPage, size.Min, 1), size.Max)
	total := len(items)
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	cut := items[start:end]
	if cut == nil {
		cut = []T{} // an empty page is [], never null: SDKs iterate over it
	}
	return &Page{
		Items: cut,
		Info: ResultInfo{
			Page: page, PerPage: perPage, Count: end - start, TotalCount: total,
			TotalPages: (total + perPage - 1) / perPage,
		},
	}, nil
}

func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}
