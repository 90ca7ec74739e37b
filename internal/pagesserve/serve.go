package pagesserve

import (
	"net/http"
	"net/url"
	"strings"
)

// Site is one deployment: its files by path, its rules and where the
// files' contents are.
type Site struct {
	Manifest map[string]string // site path ("/index.html") => asset hash
	Rules    *Rules
	// Asset returns an uploaded file by hash.
	Asset func(hash string) (contentType string, body []byte, ok bool)
}

// Rules are a deployment's _headers and _redirects, parsed once: a
// deployment never changes.
type Rules struct {
	redirects []Redirect
	headers   []HeaderRule
}

// Compile parses a deployment's _headers and _redirects files; what Pages
// would ignore is left out.
func Compile(headers, redirects string) *Rules {
	r := &Rules{}
	r.redirects, _ = ParseRedirects(redirects)
	r.headers, _ = ParseHeaders(headers)
	return r
}

// browserCache is what Pages sends for a cacheable asset (pages-shared
// asset-server handler.ts CACHE_CONTROL_BROWSER).
const browserCache = "public, max-age=0, must-revalidate"

// Serve answers r from the site.
func Serve(w http.ResponseWriter, r *http.Request, site Site) {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	res := respond(r, host, site)
	if res.status < 500 {
		applyHeaders(res.header, site.Rules.headers, host, r.URL.Path)
		if res.status == http.StatusNotFound {
			// Pages never lets a 404 be cached (handler.ts).
			res.header.Del("Cache-Control")
			res.header.Add("Cache-Control", "no-store")
		}
	}
	for k, v := range res.header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(res.body)
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func redirectTo(status int, location string) response {
	h := http.Header{}
	h.Set("Location", location)
	return response{status: status, header: h}
}

func respond(r *http.Request, host string, site Site) response {
	pathname, search := r.URL.Path, ""
	if r.URL.RawQuery != "" {
		search = "?" + r.URL.RawQuery
	}
	for _, rule := range site.Rules.redirects {
		repl, ok := matchRule(rule.match, strings.HasPrefix(rule.From, "https://"), host, pathname)
		if !ok {
			continue
		}
		to := replace(rule.To, repl)
		if rule.Status == http.StatusOK {
			// A 200 rule serves another file under the same URL.
			if u, err := url.Parse(to); err == nil {
				pathname = u.Path
			}
			break
		}
		dest, err := url.Parse(to)
		if err != nil {
			break
		}
		location := to
		if dest.Host == "" {
			location = dest.Path
			if dest.RawQuery != "" {
				location += "?" + dest.RawQuery
			} else {
				location += search
			}
			if dest.Fragment != "" {
				location += "#" + dest.Fragment
			}
		} else if dest.RawQuery == "" && search != "" {
			location = strings.TrimSuffix(strings.SplitN(to, "#", 2)[0], "?") + search
			if dest.Fragment != "" {
				location += "#" + dest.Fragment
			}
		}
		return redirectTo(rule.Status, location)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return response{status: http.StatusMethodNotAllowed, header: http.Header{}}
	}
	exists := func(p string) bool { _, ok := site.Manifest[p]; return ok }
	serve := func(p string) response { return serveFile(r, site, p, http.StatusOK) }
	permanent := func(p string) response { return redirectTo(http.StatusPermanentRedirect, p+search) }

	if strings.HasSuffix(pathname, "/") {
		switch {
		case exists(pathname + "index.html"):
			return serve(pathname + "index.html")
		case strings.HasSuffix(pathname, "/index/"):
			return permanent(strings.TrimSuffix(pathname, "index/"))
		case exists(strings.TrimSuffix(pathname, "/") + ".html"):
			return permanent(strings.TrimSuffix(pathname, "/"))
		}
		return notFound(r, site, pathname)
	}
	if exists(pathname) {
		if base, ok := strings.CutSuffix(pathname, ".html"); ok {
			switch {
			case strings.HasSuffix(base, "/index"):
				return permanent(strings.TrimSuffix(base, "index"))
			case exists(base) || base == "/":
				return serve(pathname)
			}
			return permanent(base)
		}
		return serve(pathname)
	}
	switch {
	case strings.HasSuffix(pathname, "/index"):
		return permanent(strings.TrimSuffix(pathname, "index"))
	case exists(pathname + ".html"):
		return serve(pathname + ".html")
	case exists(pathname + "/index.html"):
		return permanent(pathname + "/")
	}
	return notFound(r, site, pathname)
}

// notFound serves the nearest 404.html above the path with 404, else, when
// there is none, index.html as a single-page app with 200.
func notFound(r *http.Request, site Site, pathname string) response {
	for dir := pathname; dir != ""; {
		dir = dir[:strings.LastIndexByte(dir, '/')]
		if _, ok := site.Manifest[dir+"/404.html"]; ok {
			return serveFile(r, site, dir+"/404.html", http.StatusNotFound)
		}
	}
	if _, ok := site.Manifest["/index.html"]; ok {
		return serveFile(r, site, "/index.html", http.StatusOK)
	}
	return response{status: http.StatusNotFound, header: http.Header{}, body: []byte("Not Found")}
}

func serveFile(r *http.Request, site Site, path string, status int) response {
	hash := site.Manifest[path]
	contentType, body, ok := site.Asset(hash)
	if !ok {
		return response{status: http.StatusInternalServerError, header: http.Header{}, body: []byte("asset " + hash + " is missing")}
	}
	h := http.Header{}
	etag := `"` + hash + `"`
	h.Set("Content-Type", contentType)
	if status == http.StatusOK {
		h.Set("ETag", etag)
		if match := r.Header.Get("If-None-Match"); match == etag || match == "W/"+etag {
			return response{status: http.StatusNotModified, header: h}
		}
		if r.Header.Get("Authorization") == "" && r.Header.Get("Range") == "" {
			h.Add("Cache-Control", browserCache)
		}
	}
	return response{status: status, header: h, body: body}
}

// applyHeaders adds Pages' own headers, then the matching _headers rules in
// order: a rule's header replaces what the server set, a later rule's same
// header is appended, "! Name" removes.
func applyHeaders(h http.Header, rules []HeaderRule, host, path string) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if h.Get("Content-Type") != "" {
		h.Set("X-Content-Type-Options", "nosniff")
	}
	set := map[string]bool{}
	for _, rule := range rules {
		repl, ok := matchRule(rule.match, strings.HasPrefix(rule.Path, "https://"), host, path)
		if !ok {
			continue
		}
		for _, name := range rule.Unset {
			h.Del(name)
		}
		for _, kv := range rule.Set {
			value := replace(kv[1], repl)
			if set[strings.ToLower(kv[0])] {
				h.Add(kv[0], value)
			} else {
				h.Set(kv[0], value)
				set[strings.ToLower(kv[0])] = true
			}
		}
	}
}
