package kv

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Keys and values of a namespace, as the REST API serves them to wrangler
// (src/kv/helpers.ts: values/{key}, keys with cursor paging, bulk) and
// cloudflare-go v7 (kv.NamespaceValueUpdateParams, NamespaceKeyListParams,
// NamespaceBulkUpdateParams). One store: whatever writes a key, anyone
// reads it.

// Entry is a stored value.
type Entry struct {
	Value      []byte          `json:"value"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
	Expiration int64           `json:"expiration,omitempty"` // seconds since the epoch; 0: never
}

// KV's limits (Cloudflare's KV limits page): keys of up to 512 bytes, values
// of up to 25 MiB, metadata of up to 1,024 bytes serialised, an expiration
// at least 60 seconds ahead, lists of 10 to 1,000 keys a page (1,000 by
// default), bulk writes of up to 10,000 pairs.
const (
	maxKeyBytes      = 512
	maxValueBytes    = 25 * 1024 * 1024
	maxMetadataBytes = 1024
	minTTL           = 60
	maxBulk          = 10000
)

// Codes. 10009 is KV's "key not found" (its GET answers it; the provider's
// call layer counts it as gone). For the refusals of bad keys, values and
// limits no source gives the code: 10xxx codes are assumed, under the
// HTTP statuses Cloudflare documents (400, 413).
var (
	errKeyNotFound = core.Errorf(http.StatusNotFound, 10009, "get: 'key not found'")
)

type bindingKey struct{}

// ForBinding marks a request as a Worker's KV binding's, not the REST
// API's: the binding lists as few as 1 key a page where the REST API wants
// 10 (Miniflare's kv validator.worker.ts, which models workerd's binding).
func ForBinding(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), bindingKey{}, true))
}

func fromBinding(r *http.Request) bool { return r.Context().Value(bindingKey{}) != nil }

func badRequest(code int, format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, code, format, args...)
}

// checkKey refuses a key Cloudflare refuses: empty, ".", "..", or longer
// than 512 bytes.
func checkKey(key string) *core.Error {
	switch {
	case key == "" || key == "." || key == "..":
		return badRequest(10019, "Invalid key name %q: a key may not be empty, \".\" or \"..\".", key)
	case len(key) > maxKeyBytes:
		return core.Errorf(http.StatusRequestURITooLong, 10033, "Key name too long: %d bytes, at most %d.", len(key), maxKeyBytes)
	}
	return nil
}

// expiration reads expiration or expiration_ttl into an absolute time.
func expiration(now int64, abs, ttl string) (int64, *core.Error) {
	switch {
	case ttl != "":
		n, err := strconv.ParseInt(ttl, 10, 64)
		if err != nil || n < minTTL {
			return 0, badRequest(10025, "Invalid expiration_ttl of %s. Please specify integer greater than the current number of seconds since the UNIX epoch. expiration_ttl must be at least %d.", ttl, minTTL)
		}
		return now + n, nil
	case abs != "":
		n, err := strconv.ParseInt(abs, 10, 64)
		if err != nil || n < now+minTTL {
			return 0, badRequest(10025, "Invalid expiration of %s. Please specify integer greater than the current number of seconds since the UNIX epoch plus %d.", abs, minTTL)
		}
		return n, nil
	}
	return 0, nil
}

func checkEntry(e Entry) *core.Error {
	if len(e.Value) > maxValueBytes {
		return core.Errorf(http.StatusRequestEntityTooLarge, 10033, "Value too large: %d bytes, at most %d.", len(e.Value), maxValueBytes)
	}
	if len(e.Metadata) > maxMetadataBytes {
		return badRequest(10028, "Metadata too large: %d bytes serialised, at most %d.", len(e.Metadata), maxMetadataBytes)
	}
	if len(e.Metadata) > 0 && !json.Valid(e.Metadata) {
		return badRequest(10026, "Metadata must be JSON.")
	}
	return nil
}

func (s *State) live(ns, key string, now int64) (Entry, bool) {
	e, ok := s.Values[ns][key]
	if !ok || (e.Expiration != 0 && e.Expiration <= now) {
		return Entry{}, false
	}
	return e, true
}

func (s *State) put(ns, key string, e Entry) {
	if s.Values == nil {
		s.Values = map[string]map[string]Entry{}
	}
	if s.Values[ns] == nil {
		s.Values[ns] = map[string]Entry{}
	}
	s.Values[ns][key] = e
}

func registerValues(env *core.Env, state *State) {
	const ns = "/accounts/{account_id}/storage/kv/namespaces/{namespace_id}"
	withNamespace := func(r *http.Request, write bool, fn func(id string, now int64) *core.Error) *core.Error {
		run := func() *core.Error {
			id := r.PathValue("namespace_id")
			if _, ok := state.Find(id); !ok {
				return errNotFound
			}
			return fn(id, env.Now().Unix())
		}
		if write {
			return env.Store.Write(run)
		}
		var err *core.Error
		env.Store.Read(func() { err = run() })
		return err
	}

	// PUT takes the value as the body, or as the multipart fields value
	// and metadata (wrangler's putKVKeyValue sends FormData when there is
	// metadata).
	env.Handle("PUT "+ns+"/values/{key_name}", func(r *http.Request) (any, *core.Error) {
		key := r.PathValue("key_name")
		if err := checkKey(key); err != nil {
			return nil, err
		}
		var e Entry
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(maxValueBytes + 1<<20); err != nil {
				return nil, badRequest(10026, "Invalid multipart body: %v", err)
			}
			if f, _, err := r.FormFile("value"); err == nil {
				e.Value, _ = io.ReadAll(f)
				f.Close()
			} else {
				e.Value = []byte(r.FormValue("value"))
			}
			if m := r.FormValue("metadata"); m != "" {
				e.Metadata = json.RawMessage(m)
			}
		} else {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxValueBytes+1))
			if err != nil {
				return nil, badRequest(10026, "Reading the value failed: %v", err)
			}
			e.Value = body
		}
		if err := checkEntry(e); err != nil {
			return nil, err
		}
		return nil, withNamespace(r, true, func(id string, now int64) *core.Error {
			var err *core.Error
			if e.Expiration, err = expiration(now, r.URL.Query().Get("expiration"), r.URL.Query().Get("expiration_ttl")); err != nil {
				return err
			}
			state.put(id, key, e)
			return nil
		})
	})

	// GET answers the value itself, not an envelope (wrangler's
	// fetchKVGetValue reads the body as bytes).
	env.Handle("GET "+ns+"/values/{key_name}", func(r *http.Request) (any, *core.Error) {
		var out core.Raw
		err := withNamespace(r, false, func(id string, now int64) *core.Error {
			e, ok := state.live(id, r.PathValue("key_name"), now)
			if !ok {
				return errKeyNotFound
			}
			out = core.Raw{ContentType: "application/octet-stream", Body: bytes.Clone(e.Value)}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})

	env.Handle("GET "+ns+"/metadata/{key_name}", func(r *http.Request) (any, *core.Error) {
		var out json.RawMessage
		err := withNamespace(r, false, func(id string, now int64) *core.Error {
			e, ok := state.live(id, r.PathValue("key_name"), now)
			if !ok {
				return errKeyNotFound
			}
			out = e.Metadata
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(out) == 0 {
			return json.RawMessage("null"), nil
		}
		return out, nil
	})

	// Deleting a key that does not exist succeeds, as Cloudflare's does.
	env.Handle("DELETE "+ns+"/values/{key_name}", func(r *http.Request) (any, *core.Error) {
		return nil, withNamespace(r, true, func(id string, _ int64) *core.Error {
			delete(state.Values[id], r.PathValue("key_name"))
			return nil
		})
	})

	// Keys in lexicographic order of their bytes, a page at a time: the
	// cursor names where the next page starts, "" on the last one.
	env.Handle("GET "+ns+"/keys", func(r *http.Request) (any, *core.Error) {
		q := r.URL.Query()
		limit, least := 1000, 10
		if fromBinding(r) {
			least = 1
		}
		if l := q.Get("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < least || n > 1000 {
				return nil, badRequest(10012, "Invalid limit %q: specify a number from %d to 1000.", l, least)
			}
			limit = n
		}
		after := ""
		if c := q.Get("cursor"); c != "" {
			raw, err := base64.RawURLEncoding.DecodeString(c)
			if err != nil {
				return nil, badRequest(10011, "Invalid cursor.")
			}
			after = string(raw)
		}
		type key struct {
			Name       string          `json:"name"`
			Expiration int64           `json:"expiration,omitempty"`
			Metadata   json.RawMessage `json:"metadata,omitempty"`
		}
		var page []key
		cursor := ""
		err := withNamespace(r, false, func(id string, now int64) *core.Error {
			var names []string
			for k := range state.Values[id] {
				if _, ok := state.live(id, k, now); ok && strings.HasPrefix(k, q.Get("prefix")) && k > after {
					names = append(names, k)
				}
			}
			sort.Strings(names)
			for i, n := range names {
				if i == limit {
					cursor = base64.RawURLEncoding.EncodeToString([]byte(names[i-1]))
					break
				}
				e := state.Values[id][n]
				page = append(page, key{Name: n, Expiration: e.Expiration, Metadata: e.Metadata})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if page == nil {
			page = []key{}
		}
		return &core.CursorPage{Items: page, Info: core.CursorInfo{Count: len(page), Cursor: cursor}}, nil
	})

	// Bulk writes: up to 10,000 pairs a request, values as text or base64.
	env.Handle("PUT "+ns+"/bulk", func(r *http.Request) (any, *core.Error) {
		var pairs []struct {
			Key           string          `json:"key"`
			Value         string          `json:"value"`
			Base64        bool            `json:"base64"`
			Expiration    int64           `json:"expiration"`
			ExpirationTTL int64           `json:"expiration_ttl"`
			Metadata      json.RawMessage `json:"metadata"`
		}
		if err := core.DecodeJSON(r, &pairs); err != nil {
			return nil, err
		}
		if len(pairs) > maxBulk {
			return nil, badRequest(10024, "Too many keys: %d, at most %d a request.", len(pairs), maxBulk)
		}
		err := withNamespace(r, true, func(id string, now int64) *core.Error {
			entries := make([]Entry, len(pairs))
			for i, p := range pairs {
				if err := checkKey(p.Key); err != nil {
					return err
				}
				e := Entry{Value: []byte(p.Value), Metadata: p.Metadata}
				if p.Base64 {
					v, err := base64.StdEncoding.DecodeString(p.Value)
					if err != nil {
						return badRequest(10026, "The value of %q is not base64.", p.Key)
					}
					e.Value = v
				}
				var abs, ttl string
				if p.Expiration != 0 {
					abs = strconv.FormatInt(p.Expiration, 10)
				}
				if p.ExpirationTTL != 0 {
					ttl = strconv.FormatInt(p.ExpirationTTL, 10)
				}
				var err *core.Error
				if e.Expiration, err = expiration(now, abs, ttl); err != nil {
					return err
				}
				if err := checkEntry(e); err != nil {
					return err
				}
				entries[i] = e
			}
			for i, p := range pairs {
				state.put(id, p.Key, entries[i])
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"successful_key_count": len(pairs), "unsuccessful_keys": []string{}}, nil
	})

	env.Handle("DELETE "+ns+"/bulk", func(r *http.Request) (any, *core.Error) {
		var keys []string
		if err := core.DecodeJSON(r, &keys); err != nil {
			return nil, err
		}
		if len(keys) > maxBulk {
			return nil, badRequest(10024, "Too many keys: %d, at most %d a request.", len(keys), maxBulk)
		}
		err := withNamespace(r, true, func(id string, _ int64) *core.Error {
			for _, k := range keys {
				delete(state.Values[id], k)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"successful_key_count": len(keys), "unsuccessful_keys": []string{}}, nil
	})
}
