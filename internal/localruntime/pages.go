package localruntime

import (
	"log"
	"net"
	"net/http"
	"sync"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/pages"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesserve"
)

// Pages serves what the API's Pages projects have deployed, by hostname;
// a request to the bare address is taken for bareHost (the development
// web app's domain).
func Pages(sites *pages.Sites, bareHost string, logs *log.Logger) http.Handler {
	var compiled sync.Map // deployment id => *pagesserve.Rules; deployments never change
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if isBare(host) {
			host = bareHost
			r.Host = bareHost
		}
		site, ok := sites.Lookup(host)
		if !ok {
			cloudflareError(w, logs.Printf, 530, 1001, "no Pages deployment serves "+host)
			return
		}
		rules, ok := compiled.Load(site.Deployment)
		if !ok {
			rules, _ = compiled.LoadOrStore(site.Deployment, pagesserve.Compile(site.Headers, site.Redirects))
		}
		pagesserve.Serve(w, r, pagesserve.Site{Manifest: site.Manifest, Rules: rules.(*pagesserve.Rules), Asset: sites.Asset})
	})
}

func isBare(host string) bool {
	return host == "" || host == "127.0.0.1" || host == "localhost" || host == "::1"
}
