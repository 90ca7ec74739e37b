package localapi

import (
	"maps"
	"sync"
)

// RequestLog counts requests by method and route pattern (for example
// "GET /client/v4/accounts/{account_id}/storage/kv/namespaces/{namespace_id}"),
// so benchmarks and tests can state how many API calls an operation cost.
type RequestLog struct {
	mu     sync.Mutex
	counts map[string]int
}

func newRequestLog() *RequestLog { return &RequestLog{counts: map[string]int{}} }

func (l *RequestLog) record(method, pattern, path string) {
	key := pattern
	if key == "" {
		key = method + " (no route) " + path
	}
	l.mu.Lock()
	l.counts[key]++
	l.mu.Unlock()
}

// Counts returns a copy of the counts.
func (l *RequestLog) Counts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.counts)
}

// Total is the number of requests recorded.
func (l *RequestLog) Total() int {
	n := 0
	for _, c := range l.Counts() {
		n += c
	}
	return n
}

// Reset clears the counts.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	l.counts = map[string]int{}
	l.mu.Unlock()
}
