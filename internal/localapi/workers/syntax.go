package workers

import (
	"fmt"
	"net/http"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// checkSyntax refuses an upload whose JavaScript does not parse, as
// Cloudflare's startup validation does with 10021 ("Uncaught SyntaxError:
// Unexpected token 'export' at worker.js:100 (Code: 10021)", as users
// report it; cloudflare-docs PR 14880 lists 10021 for a Worker that fails
// its startup). It parses with esbuild 0.27.3, the release wrangler 4.86
// bundles with, so what wrangler can bundle is accepted. Only the syntax is
// checked here: a top-level exception is still not caught.
func checkSyntax(modules []Module) *core.Error {
	for _, m := range modules {
		format := api.FormatDefault
		switch ModuleType(m.ContentType) {
		case "esm":
			format = api.FormatESModule
		case "commonjs":
		default:
			continue
		}
		result := api.Transform(string(m.Content), api.TransformOptions{
			Loader: api.LoaderJS, Format: format, Target: api.ESNext, Sourcefile: m.Name, LogLevel: api.LogLevelSilent,
		})
		if len(result.Errors) == 0 {
			continue
		}
		e := result.Errors[0]
		where := m.Name
		if e.Location != nil {
			where = fmt.Sprintf("%s:%d:%d", m.Name, e.Location.Line, e.Location.Column+1)
		}
		return core.Errorf(http.StatusBadRequest, 10021, "Uncaught SyntaxError: %s\n  at %s", e.Text, where)
	}
	return nil
}
