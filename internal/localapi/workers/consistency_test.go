package workers_test

import (
	"sync"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Cloudflare is eventually consistent: a route created right after its
// script can be refused with 10019 (DIST PR #368), an upload binding a
// namespace created a moment before with 10041 (an alchemy test retries it),
// for as long as the propagation delay.
func TestNewObjectsBecomeVisibleAfterThePropagationDelay(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	a := startWith(t, localapi.Config{Now: c.now})
	ns := a.kvNamespace()
	bound := worker(doCode, []map[string]any{{"type": "kv_namespace", "name": "CACHE", "namespace_id": ns}}, nil)
	status, env, raw := a.put("api", bound)
	checkFailure(t, status, env, raw, 400, 10041)

	c.advance(localapi.DefaultPropagationDelay)
	a.mustPut("api", bound)
	zone := a.base + "/zones/" + a.srv.ZoneID(localapi.DefaultZone) + "/workers/routes"
	a.fails("POST", zone, map[string]string{"pattern": "api.officehours.youcanjustdothings.io/*", "script": "api"}, 400, 10019)

	c.advance(localapi.DefaultPropagationDelay)
	a.ok("POST", zone, map[string]string{"pattern": "api.officehours.youcanjustdothings.io/*", "script": "api"}, nil)
}

// A settings answer carries the keys settings answers of real accounts do
// (the Cloudflare fidelity review's archive): no limits, no observability
// unless set. The services answer leaves the compatibility settings to
// /settings, where clients read them.
func TestAnswersCarryOnlyWhatCloudflareSends(t *testing.T) {
	a := start(t)
	a.mustPut("api", worker(doCode, nil, nil))
	var settings map[string]any
	a.ok("GET", a.acct+"/workers/scripts/api/settings", nil, &settings)
	for _, k := range []string{"limits", "observability"} {
		if _, ok := settings[k]; ok {
			t.Errorf("settings answer has %q: %v", k, settings)
		}
	}
	for _, k := range []string{"bindings", "compatibility_date", "compatibility_flags", "usage_model", "placement", "tags", "tail_consumers", "logpush"} {
		if _, ok := settings[k]; !ok {
			t.Errorf("settings answer lacks %q", k)
		}
	}
	var scriptSettings map[string]any
	a.ok("GET", a.acct+"/workers/scripts/api/script-settings", nil, &scriptSettings)
	if _, ok := scriptSettings["observability"]; ok {
		t.Errorf("script-settings answer has observability before it was set: %v", scriptSettings)
	}
	svc := a.service()
	for _, k := range []string{"compatibility_date", "compatibility_flags", "placement_mode"} {
		if _, ok := svc[k]; ok {
			t.Errorf("services answer has %q", k)
		}
	}
	if svc["etag"] == nil || svc["tag"] == nil {
		t.Errorf("services answer lacks etag or tag: %v", svc)
	}
}

// Versions come in pages of {items} (cloudflare-go v7 V4PagePagination);
// deployable=true ignores pagination (wrangler asks for it so).
func TestVersionsListIsPaged(t *testing.T) {
	a := start(t)
	for i := range 12 {
		a.mustPut("api", worker(doCode+"//"+string(rune('a'+i)), nil, nil))
	}
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	status, env, raw, _ := a.do("GET", a.acct+"/workers/scripts/api/versions?per_page=5&page=3", "", nil)
	if status != 200 || !env.Success {
		t.Fatalf("%d %s", status, raw)
	}
	testutil.Decode(t, env.Result, &page)
	if len(page.Items) != 2 {
		t.Fatalf("page 3 of 5: %d items", len(page.Items))
	}
	a.ok("GET", a.acct+"/workers/scripts/api/versions?deployable=true", nil, &page)
	if len(page.Items) != 12 {
		t.Fatalf("deployable: %d items", len(page.Items))
	}
}
