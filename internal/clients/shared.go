package clients

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Shared reads. Terraform reads every resource on its own, but one
// provider process serves one operation (a plan, an apply), so one list can
// answer the reads of every object it holds: the KV namespaces of the
// account, the routes of a zone, a script's settings for its secrets.
//
//   - One read per key is in flight; every concurrent caller waits for it.
//   - An entry lives as long as the Clients, built anew for each operation
//     (Configure), and a write through this client drops every entry of its
//     API area (the first three path segments: accounts/{id}/workers,
//     zones/{id}/dns_records) once it is answered.
//   - Failures are not kept: the next caller reads again.
//   - A shared list is an answer for what it holds only: callers read an
//     object it lacks directly (it may be newer than the list, or gone),
//     and reads that must be fresh (after their own write, the lookup after
//     a lost answer) never use it.
type sharedReads struct {
	mu      sync.Mutex
	entries map[string]*sharedEntry
}

type sharedEntry struct {
	done  chan struct{}
	value any
	err   error
}

// Shared returns read's value for key (a path from Path, Account or Zone,
// with its query), reading it at most once until a write to its area.
// Readers share an entry only when they read it as the same type T (to
// share one answer across packages, read it as json.RawMessage).
func Shared[T any](ctx context.Context, c *Cloudflare, key string, read func(context.Context) (T, error)) (T, error) {
	var zero T
	key = fmt.Sprintf("%s|%T", key, zero)
	e, leader := c.shared.join(key)
	if leader {
		v, err := read(ctx)
		c.shared.finish(key, e, v, err)
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if e.err != nil {
		return zero, e.err
	}
	return e.value.(T), nil
}

func (s *sharedReads) join(key string) (*sharedEntry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok {
		return e, false
	}
	if s.entries == nil {
		s.entries = map[string]*sharedEntry{}
	}
	e := &sharedEntry{done: make(chan struct{})}
	s.entries[key] = e
	return e, true
}

func (s *sharedReads) finish(key string, e *sharedEntry, v any, err error) {
	s.mu.Lock()
	e.value, e.err = v, err
	if err != nil && s.entries[key] == e {
		delete(s.entries, key)
	}
	s.mu.Unlock()
	close(e.done)
}

// written drops the entries of the area of a path just written.
func (s *sharedReads) written(path string) {
	area := apiArea(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	for key := range s.entries {
		if apiArea(key) == area {
			delete(s.entries, key)
		}
	}
}

// apiArea is the first three segments of a path: where one write can
// change what another read answers.
func apiArea(path string) string {
	path, _, _ = strings.Cut(path, "|")
	path, _, _ = strings.Cut(path, "?")
	parts := strings.SplitN(path, "/", 4)
	return strings.Join(parts[:min(len(parts), 3)], "/")
}

// SharedKey is the key of a read of path with query.
func SharedKey(path string, query url.Values) string {
	if len(query) == 0 {
		return path
	}
	return path + "?" + query.Encode()
}

// Listed is a shared list: Complete is false when it stopped at its page
// cap, so that it holds only the first pages.
type Listed[T any] struct {
	Items    []T
	Complete bool
}

// sharedListPages caps a shared list: past it, listing would cost more
// than reading the few objects a configuration manages directly.
const sharedListPages = 5

// SharedList is List through Shared, at most sharedListPages pages.
func SharedList[T any](ctx context.Context, c *Cloudflare, path string, query url.Values, perPage int) (Listed[T], error) {
	return Shared(ctx, c, SharedKey(path, query)+"#list", func(ctx context.Context) (Listed[T], error) {
		items, complete, err := listPages[T](ctx, c, path, query, perPage, sharedListPages)
		return Listed[T]{Items: items, Complete: complete}, err
	})
}

// SharedGet is Get through Shared.
func SharedGet[T any](ctx context.Context, c *Cloudflare, path string, query url.Values) (T, error) {
	return Shared(ctx, c, SharedKey(path, query), func(ctx context.Context) (T, error) {
		return Get[T](ctx, c, path, query)
	})
}

// FromList returns the item of a shared list for which match holds, or
// reads path directly: when the list lacks it (the object is newer than the
// list, or gone, which only the direct read can tell) or could not be read.
func FromList[T any](ctx context.Context, c *Cloudflare, items []T, listErr error, match func(T) bool, path string) (T, error) {
	if listErr == nil {
		for _, it := range items {
			if match(it) {
				return it, nil
			}
		}
	} else {
		tflog.Debug(ctx, "A shared list could not be read; reading the object directly", map[string]any{"path": path, "error": listErr.Error()})
	}
	return Get[T](ctx, c, path, nil)
}
