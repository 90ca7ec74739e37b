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
// numeric code with a message inside the envelope.
type Error struct {
	Status  int
	Code    int
	Message string
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
)

type errorItem struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
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
	ResultInfo *ResultInfo `json:"result_info,omitempty"`
}

// WriteResult answers with a successful envelope around result.
func WriteResult(w http.ResponseWriter, status int, result any, info *ResultInfo) {
	writeJSON(w, status, envelope{Success: true, Errors: []errorItem{}, Messages: []any{}, Result: result, ResultInfo: info})
}

// WriteError answers with a failed envelope; the first error sets the status.
func WriteError(w http.ResponseWriter, errs ...*Error) {
	items := make([]errorItem, len(errs))
	for i, e := range errs {
		items[i] = errorItem{Code: e.Code, Message: e.Message}
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

// Paginate cuts items to the requested page (default per_page 20, at most 1000).
func Paginate[T any](r *http.Request, items []T, defaultPerPage int) (*Page, *Error) {
	page, err := queryInt(r, "page", 1)
	if err != nil || page < 1 {
		return nil, Errorf(http.StatusBadRequest, 1001, "page must be a positive integer")
	}
	perPage, err := queryInt(r, "per_page", defaultPerPage)
	if err != nil || perPage < 1 || perPage > 1000 {
		return nil, Errorf(http.StatusBadRequest, 1001, "per_page must be between 1 and 1000")
	}
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
