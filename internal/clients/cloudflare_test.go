package clients

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI answers each request with the next of its answers, enveloped.
type fakeAPI struct {
	mu      sync.Mutex
	answers []answer
	calls   []string
}

type answer struct {
	status int
	body   string // the whole envelope
}

func ok(result string) answer {
	return answer{200, `{"success":true,"errors":[],"messages":[],"result":` + result + `}`}
}
func fail(status int, code int, msg string) answer {
	return answer{status, fmt.Sprintf(`{"success":false,"errors":[{"code":%d,"message":%q}],"messages":[],"result":null}`, code, msg)}
}

func newFake(t *testing.T, answers ...answer) (*Cloudflare, *fakeAPI) {
	t.Helper()
	f := &fakeAPI{answers: answers}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, r.Method+" "+r.URL.RequestURI())
		if len(f.answers) == 0 {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(500)
			return
		}
		a := f.answers[0]
		f.answers = f.answers[1:]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	}))
	t.Cleanup(s.Close)
	cf := newCloudflare(CloudflareConfig{APIToken: "t", AccountID: "acct", BaseURL: s.URL, Limit: DefaultLimit(), MaxRetries: 0})
	old := pause
	pause = func(context.Context, time.Duration) error { return nil }
	t.Cleanup(func() { pause = old })
	return cf, f
}

func TestPathsEscapeEverySegment(t *testing.T) {
	cf := &Cloudflare{AccountID: "a1"}
	if got := cf.Account("workers", "scripts", "a b/c"); got != "accounts/a1/workers/scripts/a%20b%2Fc" {
		t.Fatalf("Account path %q", got)
	}
	if got := Zone("z1", "dns_records", "r?1"); got != "zones/z1/dns_records/r%3F1" {
		t.Fatalf("Zone path %q", got)
	}
}

func TestErrorsCarryCodesFromErrorChains(t *testing.T) {
	cf, _ := newFake(t,
		answer{400, `{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"messages":[],"result":null}`},
		fail(403, 10000, "Authentication error"),
		fail(400, 10056, "Secret not found"),
	)
	ctx := context.Background()
	err := cf.Do(ctx, Call{Method: "GET", Path: "user/tokens/verify"}, nil)
	if !HasCode(err, 6111) || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("chained code not found or not explained: %v", err)
	}
	err = cf.Do(ctx, Call{Method: "POST", Path: cf.Account("storage", "kv", "namespaces")}, nil)
	if StatusOf(err) != 403 || !strings.Contains(err.Error(), `"Account · Workers KV Storage · Edit"`) {
		t.Fatalf("a 403 does not name the permission: %v", err)
	}
	// Gone by code, whatever the status.
	err = cf.Do(ctx, Call{Method: "GET", Path: cf.Account("workers", "scripts", "x", "secrets", "S")}, nil)
	if !IsGone(err) {
		t.Fatalf("10056 with HTTP 400 is not gone: %v", err)
	}
}

// List follows result_info: the page size Cloudflare reports, not the one
// asked for, tells a short page (Cloudflare cuts per_page to its maximum).
func TestListFollowsTheReportedPageSize(t *testing.T) {
	page := func(n, perPage, total int) answer {
		items := make([]string, n)
		for i := range items {
			items[i] = `{"id":"x"}`
		}
		return answer{200, fmt.Sprintf(`{"success":true,"errors":[],"messages":[],"result":[%s],"result_info":{"page":1,"per_page":%d,"count":%d,"total_count":%d}}`,
			strings.Join(items, ","), perPage, n, total)}
	}
	cf, f := newFake(t, page(100, 100, 150), page(50, 100, 150))
	list, err := List[struct{ ID string }](context.Background(), cf, "things", nil, 1000)
	if err != nil || len(list) != 150 || len(f.calls) != 2 {
		t.Fatalf("%d items in %d calls (%v), err %v", len(list), len(f.calls), f.calls, err)
	}
	if !strings.Contains(f.calls[0], "per_page=1000") || !strings.Contains(f.calls[1], "page=2") {
		t.Fatalf("calls %v", f.calls)
	}
	// Without result_info, an empty page ends the list.
	cf, f = newFake(t, ok(`[{"id":"a"}]`), ok(`[]`))
	list, err = List[struct{ ID string }](context.Background(), cf, "things", nil, 0)
	if err != nil || len(list) != 1 || len(f.calls) != 2 || strings.Contains(f.calls[0], "per_page") {
		t.Fatalf("%d items, calls %v, err %v", len(list), f.calls, err)
	}
}

type thing struct {
	ID string `json:"id"`
}

func create(cf *Cloudflare, f func(context.Context) (thing, bool, error)) (thing, error) {
	return Create(context.Background(),
		func(ctx context.Context) (thing, error) {
			var out thing
			err := cf.Do(ctx, Call{Method: "POST", Path: "things", JSON: map[string]string{"title": "x"}}, &out)
			return out, err
		}, f, func(err error) bool { return HasCode(err, 10014) })
}

func TestCreateResolvesALostAnswerByLookingUp(t *testing.T) {
	cf, f := newFake(t, fail(500, 10002, "An unknown error has occurred"))
	found := 0
	got, err := create(cf, func(context.Context) (thing, bool, error) { found++; return thing{"made"}, true, nil })
	if err != nil || got.ID != "made" || found != 1 || len(f.calls) != 1 {
		t.Fatalf("got %+v err %v, %d lookups, calls %v", got, err, found, f.calls)
	}
}

func TestCreateAfterALostAnswerTakesTakenAsOurs(t *testing.T) {
	cf, f := newFake(t, fail(503, 10002, "unknown"), fail(400, 10014, "title exists"))
	lookups := 0
	got, err := create(cf, func(context.Context) (thing, bool, error) {
		lookups++
		return thing{"ours"}, lookups == 2, nil // not visible at the first look
	})
	if err != nil || got.ID != "ours" || len(f.calls) != 2 {
		t.Fatalf("got %+v err %v, calls %v", got, err, f.calls)
	}
}

func TestCreateReportsATakenNameOnTheFirstAttempt(t *testing.T) {
	cf, _ := newFake(t, fail(400, 10014, "title exists"))
	_, err := create(cf, func(context.Context) (thing, bool, error) {
		t.Fatal("no lookup: nothing was lost")
		return thing{}, false, nil
	})
	if !HasCode(err, 10014) {
		t.Fatalf("err %v", err)
	}
}

func TestWriteResendsAfterA5xxAndDeleteTakesGoneAsDone(t *testing.T) {
	cf, f := newFake(t, fail(502, 10002, "bad gateway"), ok(`{"id":"x"}`), fail(500, 10002, "x"), fail(404, 10013, "namespace not found"))
	var out thing
	if err := cf.Write(context.Background(), Call{Method: "PUT", Path: "things/x", JSON: map[string]string{"title": "x"}}, &out); err != nil || out.ID != "x" {
		t.Fatalf("write: %+v %v", out, err)
	}
	if err := cf.Delete(context.Background(), "things/x"); err != nil {
		t.Fatalf("delete answered gone on the resend: %v", err)
	}
	if len(f.calls) != 4 {
		t.Fatalf("calls %v", f.calls)
	}
}

func TestResendDoesNotRepeatErrorsThatDidNotComeFromSending(t *testing.T) {
	n := 0
	mine := errors.New("the configuration is wrong")
	err := Resend(context.Background(), func(context.Context) error { n++; return mine })
	if !errors.Is(err, mine) || n != 1 {
		t.Fatalf("sent %d times: %v", n, err)
	}
}

func TestRetryOnWaitsForStateToSettle(t *testing.T) {
	cf, f := newFake(t, fail(400, 10019, "no such worker"), fail(400, 10019, "no such worker"), ok(`{"id":"r"}`))
	err := RetryOn(context.Background(), []int{10019}, func(ctx context.Context) error {
		return cf.Do(ctx, Call{Method: "POST", Path: "routes", JSON: map[string]string{"title": "x"}}, nil)
	})
	if err != nil || len(f.calls) != 3 {
		t.Fatalf("err %v after %v", err, f.calls)
	}
	old := SettleTimeout
	SettleTimeout = 0
	t.Cleanup(func() { SettleTimeout = old })
	cf, _ = newFake(t, fail(400, 10019, "no such worker"))
	err = RetryOn(context.Background(), []int{10019}, func(ctx context.Context) error {
		return cf.Do(ctx, Call{Method: "POST", Path: "routes", JSON: map[string]string{"title": "x"}}, nil)
	})
	if !IsStillRefused(err) || !HasCode(err, 10019) {
		t.Fatalf("err %v, want a still-refused 10019", err)
	}
}

func TestDownloadReadsRawBodiesAndEnvelopedFailures(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/missing") {
			w.WriteHeader(404)
			_ = json.NewEncoder(w).Encode(map[string]any{"success": false, "errors": []map[string]any{{"code": 10007, "message": "not found"}}})
			return
		}
		w.Header().Set("Content-Type", "application/javascript+module")
		fmt.Fprint(w, "export default {}")
	}))
	defer s.Close()
	cf := newCloudflare(CloudflareConfig{APIToken: "t", BaseURL: s.URL, Limit: DefaultLimit()})
	ct, body, err := cf.Download(context.Background(), "scripts/x")
	if err != nil || ct != "application/javascript+module" || string(body) != "export default {}" {
		t.Fatalf("%q %q %v", ct, body, err)
	}
	if _, _, err := cf.Download(context.Background(), "scripts/missing"); !IsGone(err) {
		t.Fatalf("err %v", err)
	}
}
