// Package kv serves Workers KV namespaces and their keys and values:
// /accounts/{account_id}/storage/kv/namespaces (values.go: values, keys,
// metadata, bulk).
package kv

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Namespace is a KV namespace as the API returns it.
type Namespace struct {
	ID                  string `json:"id"`
	Title               string `json:"title"`
	SupportsURLEncoding bool   `json:"supports_url_encoding"`
}

// State is this area's section of the persisted state. Other areas (Workers
// bindings, Pages bindings) read it to check that a namespace exists.
type State struct {
	Namespaces []Namespace `json:"namespaces"`
	// Created is when each namespace was created, by id: a new one becomes
	// visible to the other endpoints (Workers bindings) only after the
	// propagation delay (core.Env.Visible).
	Created map[string]time.Time `json:"created"`
	// Values by namespace id and key (values.go).
	Values map[string]map[string]Entry `json:"values,omitempty"`
}

// Visible reports whether the namespace with id exists and the other
// endpoints see it yet. Call it inside Store.Read/Write.
func (s *State) Visible(env *core.Env, id string) bool {
	_, ok := s.Find(id)
	return ok && env.Visible(s.Created[id])
}

// Find returns the namespace with id, if any. Call it inside Store.Read/Write.
func (s *State) Find(id string) (*Namespace, bool) {
	i := slices.IndexFunc(s.Namespaces, func(n Namespace) bool { return n.ID == id })
	if i < 0 {
		return nil, false
	}
	return &s.Namespaces[i], true
}

// pageSize of namespace lists: at most 100 (the API schema; wrangler's
// own pager kv/helpers.ts asks for 100).
var pageSize = core.PageSize{Default: 20, Min: 1, Max: 100}

// section is the state area name in the store.
const section = "kv"

// StateOf returns the KV state registered in store, for areas that bind
// namespaces. Use it inside Store.Read or Store.Write.
func StateOf(store *core.Store) *State { return store.Section(section).(*State) }

var (
	errNotFound  = core.Errorf(http.StatusNotFound, 10013, "get namespace: 'namespace not found'")
	errDuplicate = core.Errorf(http.StatusBadRequest, 10014, "create namespace: 'a namespace with this account ID and title already exists'")
)

func validTitle(title string) *core.Error {
	if strings.TrimSpace(title) == "" || len(title) > 512 {
		return core.Errorf(http.StatusBadRequest, 10019, "title must be between 1 and 512 characters")
	}
	return nil
}

// Register adds the routes of this area.
func Register(env *core.Env) error {
	state := &State{}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	const base = "/accounts/{account_id}/storage/kv/namespaces"

	env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		list := []Namespace{} // an empty list is [], never null: wrangler iterates it
		env.Store.Read(func() { list = append(list, state.Namespaces...) })
		q := r.URL.Query()
		key := func(n Namespace) string { return n.ID }
		if q.Get("order") == "title" {
			key = func(n Namespace) string { return n.Title }
		}
		slices.SortStableFunc(list, func(a, b Namespace) int { return cmp.Compare(key(a), key(b)) })
		if q.Get("direction") == "desc" {
			slices.Reverse(list)
		}
		return core.Paginate(r, list, pageSize)
	})

	env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		var body struct {
			Title string `json:"title"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		if err := validTitle(body.Title); err != nil {
			return nil, err
		}
		ns := Namespace{ID: core.NewID(), Title: body.Title, SupportsURLEncoding: true}
		err := env.Store.Write(func() *core.Error {
			if slices.ContainsFunc(state.Namespaces, func(n Namespace) bool { return n.Title == body.Title }) {
				return errDuplicate
			}
			state.Namespaces = append(state.Namespaces, ns)
			if state.Created == nil {
				state.Created = map[string]time.Time{}
			}
			state.Created[ns.ID] = env.Now()
			return nil
		})
		return ns, err
	})

	env.Handle("GET "+base+"/{namespace_id}", func(r *http.Request) (any, *core.Error) {
		var ns Namespace
		var ok bool
		env.Store.Read(func() {
			var p *Namespace
			if p, ok = state.Find(r.PathValue("namespace_id")); ok {
				ns = *p
			}
		})
		if !ok {
			return nil, errNotFound
		}
		return ns, nil
	})

	env.Handle("PUT "+base+"/{namespace_id}", func(r *http.Request) (any, *core.Error) {
		var body struct {
			Title string `json:"title"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		if err := validTitle(body.Title); err != nil {
			return nil, err
		}
		var ns Namespace
		err := env.Store.Write(func() *core.Error {
			p, ok := state.Find(r.PathValue("namespace_id"))
			if !ok {
				return errNotFound
			}
			if slices.ContainsFunc(state.Namespaces, func(n Namespace) bool { return n.Title == body.Title && n.ID != p.ID }) {
				return errDuplicate
			}
			p.Title = body.Title
			ns = *p
			return nil
		})
		return ns, err
	})

	env.Handle("DELETE "+base+"/{namespace_id}", func(r *http.Request) (any, *core.Error) {
		return nil, env.Store.Write(func() *core.Error {
			i := slices.IndexFunc(state.Namespaces, func(n Namespace) bool { return n.ID == r.PathValue("namespace_id") })
			if i < 0 {
				return errNotFound
			}
			delete(state.Created, state.Namespaces[i].ID)
			delete(state.Values, state.Namespaces[i].ID) // its keys go with it
			state.Namespaces = slices.Delete(state.Namespaces, i, i+1)
			return nil
		})
	})
	registerValues(env, state)
	return nil
}
