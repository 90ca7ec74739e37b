package clients

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

type item struct {
	ID string `json:"id"`
}

// Ten concurrent readers of one list cost one request; a later reader is
// answered from it too.
func TestSharedReadsOnce(t *testing.T) {
	cf, f := newFake(t, onePage(`[{"id":"a"},{"id":"b"}]`))
	path := cf.Account("storage", "kv", "namespaces")
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := SharedList[item](context.Background(), cf, path, nil, 100)
			if err != nil || len(got.Items) != 2 || !got.Complete {
				t.Errorf("got %+v, %v", got, err)
			}
		}()
	}
	wg.Wait()
	if _, err := SharedList[item](context.Background(), cf, path, nil, 100); err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 1 {
		t.Fatalf("%d requests: %v", len(f.calls), f.calls)
	}
}

// A write drops what was read in its area, and only there.
func TestSharedReadsDroppedByAWriteInTheirArea(t *testing.T) {
	cf, f := newFake(t,
		onePage(`[{"id":"a"}]`), onePage(`[{"id":"r"}]`), // the two lists
		ok(`{"id":"c"}`),                   // POST a namespace
		onePage(`[{"id":"a"},{"id":"c"}]`), // the namespaces again
	)
	ctx := context.Background()
	kv := cf.Account("storage", "kv", "namespaces")
	routes := Zone("z1", "workers", "routes")
	mustList := func(path string, want int) {
		t.Helper()
		got, err := SharedList[item](ctx, cf, path, nil, 0)
		if err != nil || len(got.Items) != want {
			t.Fatalf("%s: %+v, %v; want %d items", path, got, err, want)
		}
	}
	mustList(kv, 1)
	mustList(routes, 1)
	if err := cf.Do(ctx, Call{Method: http.MethodPost, Path: kv, JSON: map[string]string{"title": "c"}}, nil); err != nil {
		t.Fatal(err)
	}
	mustList(kv, 2)     // read again
	mustList(routes, 1) // still shared
	if len(f.calls) != 4 {
		t.Fatalf("%d requests: %v", len(f.calls), f.calls)
	}
}

// A failed read is not kept: the next reader asks again.
func TestSharedReadsForgetFailures(t *testing.T) {
	cf, f := newFake(t, fail(503, 10000, "busy"), ok(`{"id":"z"}`))
	path := Zone("z1")
	if _, err := SharedGet[item](context.Background(), cf, path, nil); err == nil {
		t.Fatal("no error")
	}
	got, err := SharedGet[item](context.Background(), cf, path, nil)
	if err != nil || got.ID != "z" {
		t.Fatalf("%+v, %v", got, err)
	}
	if len(f.calls) != 2 {
		t.Fatalf("%d requests", len(f.calls))
	}
}

// A shared list stops at its page cap and says so: its callers read what
// it lacks directly.
func TestSharedListStopsAtItsCap(t *testing.T) {
	var answers []answer
	for range sharedListPages {
		answers = append(answers, answer{200, `{"success":true,"errors":[],"messages":[],"result":[{"id":"x"}],` +
			`"result_info":{"page":1,"per_page":1,"count":1,"total_count":50,"total_pages":50}}`})
	}
	cf, f := newFake(t, answers...)
	got, err := SharedList[item](context.Background(), cf, cf.Account("storage", "kv", "namespaces"), nil, 1)
	if err != nil || got.Complete || len(got.Items) != sharedListPages {
		t.Fatalf("%+v, %v", got, err)
	}
	if len(f.calls) != sharedListPages {
		t.Fatalf("%d requests", len(f.calls))
	}
}

func TestAPIArea(t *testing.T) {
	for path, want := range map[string]string{
		"accounts/a/workers/scripts/s/secrets/X": "accounts/a/workers",
		"accounts/a/workers/scripts?x=1":         "accounts/a/workers",
		"accounts/a/storage/kv/namespaces/n":     "accounts/a/storage",
		"zones/z/dns_records/r":                  "zones/z/dns_records",
		"zones/z/workers/routes":                 "zones/z/workers",
		"zones/z":                                "zones/z",
		"zones":                                  "zones",
	} {
		if got := apiArea(path); got != want {
			t.Errorf("apiArea(%q) = %q, want %q", path, got, want)
		}
	}
}

// onePage is a list answer that is its own last page.
func onePage(result string) answer {
	return answer{200, `{"success":true,"errors":[],"messages":[],"result":` + result +
		`,"result_info":{"page":1,"per_page":100,"count":1,"total_count":1,"total_pages":1}}`}
}
