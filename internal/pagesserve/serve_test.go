package pagesserve

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func site(files map[string]string, headers, redirects string) Site {
	manifest := map[string]string{}
	for path := range files {
		manifest[path] = "hash" + path
	}
	return Site{Manifest: manifest, Rules: Compile(headers, redirects),
		Asset: func(hash string) (string, []byte, bool) {
			for path, body := range files {
				if "hash"+path == hash {
					return "text/html", []byte(body), true
				}
			}
			return "", nil, false
		}}
}

// The cases follow Pages' asset server (workers-sdk packages/pages-shared/
// asset-server/handler.ts) and its tests (__tests__/asset-server/handler.test.ts).
func TestServeFollowsPagesHTMLHandlingAndRules(t *testing.T) {
	s := site(map[string]string{
		"/index.html": "home", "/about.html": "about", "/blog/index.html": "blog",
		"/docs/404.html": "docs missing", "/assets/app.js": "js",
	}, `
/*
  X-Frame-Options: DENY
/assets/*
  Cache-Control: public, max-age=31536000, immutable
/secret/*
  ! Access-Control-Allow-Origin
/users/:id
  X-User: :id
`, `
/home / 301
/old/* /new/:splat 302
/bookings/:id / 200
/rewrite-to-index /index.html 200
https://shop.example.com/* https://example.com/shop/:splat 308
/* /index.html
/loop/ /index.html
/bad-status / 418
`)
	for _, tc := range []struct {
		method, host, target string
		status               int
		body, location       string
		header               [2]string
	}{
		{"GET", "example.com", "/", 200, "home", "", [2]string{"X-Frame-Options", "DENY"}},
		{"GET", "example.com", "/index.html", 308, "", "/", [2]string{}},
		{"GET", "example.com", "/about", 200, "about", "", [2]string{}},
		{"GET", "example.com", "/about.html?x=1", 308, "", "/about?x=1", [2]string{}},
		{"GET", "example.com", "/about/", 308, "", "/about", [2]string{}},
		{"GET", "example.com", "/blog", 308, "", "/blog/", [2]string{}},
		{"GET", "example.com", "/blog/", 200, "blog", "", [2]string{}},
		{"GET", "example.com", "/blog/index", 308, "", "/blog/", [2]string{}},
		{"GET", "example.com", "/home?ref=1", 301, "", "/?ref=1", [2]string{}},
		{"GET", "example.com", "/old/a/b", 302, "", "/new/a/b", [2]string{}},
		{"GET", "example.com", "/bookings/42", 200, "home", "", [2]string{}},
		// A 200 rule to /index.html meets the HTML handling, which strips it.
		{"GET", "example.com", "/rewrite-to-index", 308, "", "/", [2]string{}},
		{"GET", "shop.example.com", "/cart", 308, "", "https://example.com/shop/cart", [2]string{}},
		{"GET", "example.com", "/docs/missing", 404, "docs missing", "", [2]string{"Cache-Control", "no-store"}},
		{"GET", "example.com", "/nowhere", 200, "home", "", [2]string{}}, // no top-level 404.html: a single-page app
		{"GET", "example.com", "/assets/app.js", 200, "js", "", [2]string{"Cache-Control", "public, max-age=31536000, immutable"}},
		{"GET", "example.com", "/about", 200, "about", "", [2]string{"Cache-Control", "public, max-age=0, must-revalidate"}},
		{"GET", "example.com", "/users/7", 200, "home", "", [2]string{"X-User", "7"}},
		{"GET", "example.com", "/secret/x", 200, "home", "", [2]string{"Access-Control-Allow-Origin", ""}},
		{"POST", "example.com", "/", 405, "", "", [2]string{}},
		{"GET", "example.com", "/bad-status", 200, "home", "", [2]string{}}, // an invalid rule is ignored
	} {
		r := httptest.NewRequestWithContext(t.Context(), tc.method, "http://"+tc.host+tc.target, nil)
		w := httptest.NewRecorder()
		Serve(w, r, s)
		if w.Code != tc.status || tc.body != "" && w.Body.String() != tc.body || w.Header().Get("Location") != tc.location {
			t.Errorf("%s %s%s: %d %q Location %q, want %d %q %q", tc.method, tc.host, tc.target, w.Code, w.Body.String(), w.Header().Get("Location"), tc.status, tc.body, tc.location)
		}
		if got := strings.Join(w.Header().Values(tc.header[0]), ", "); tc.header[0] != "" && got != tc.header[1] {
			t.Errorf("%s %s%s: %s is %q, want %q", tc.method, tc.host, tc.target, tc.header[0], got, tc.header[1])
		}
	}
}

func TestParseRulesReportsWhatPagesIgnores(t *testing.T) {
	rules, invalid := ParseRedirects("/a /b\n/only-one\n/x /y 418\n/* /index.html\n/c /d # comment\n")
	if len(rules) != 2 || rules[1].To != "/d" || len(invalid) != 3 {
		t.Errorf("redirects: %+v, invalid %q", rules, invalid)
	}
	headers, invalid := ParseHeaders("X-Orphan: 1\n/a\n  X-A: 1\n  X-A: 2\n/empty\n/b/*/*\n  X-B: 1\n")
	if len(headers) != 1 || headers[0].Set[0] != [2]string{"X-A", "1, 2"} || len(invalid) != 3 {
		t.Errorf("headers: %+v, invalid %q", headers, invalid)
	}
	var many string
	for range 101 {
		many += "/p\n  X: 1\n"
	}
	if rules, invalid := ParseHeaders(many); len(rules) != 100 || len(invalid) != 1 {
		t.Errorf("101 header rules: kept %d, invalid %q", len(rules), invalid)
	}
}
