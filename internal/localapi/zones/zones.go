// Package zones serves the account, membership, token and zone endpoints
// of the local Cloudflare API.
package zones

import (
	"net/http"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Page sizes of the account, membership and zone lists: 20 by default, 5
// to 50 (the API schema; TPC#790 quotes the zones one).
var pageSize = core.PageSize{Default: 20, Min: 5, Max: 50}

// created is a fixed creation time: accounts and zones are configuration,
// not state, and should read the same after a restart.
const created = "2025-01-01T00:00:00.000000Z"

// Register adds the routes of this area.
func Register(env *core.Env) error {
	account := map[string]any{
		"id": env.AccountID, "name": env.AccountName, "type": "standard",
		"settings": map[string]any{}, "created_on": created,
	}
	env.Handle("GET /user/tokens/verify", func(r *http.Request) (any, *core.Error) {
		return map[string]any{"id": "local", "status": "active"}, nil
	})
	env.Handle("GET /accounts", func(r *http.Request) (any, *core.Error) {
		return core.Paginate(r, []any{account}, pageSize)
	})
	env.Handle("GET /accounts/{account_id}", func(r *http.Request) (any, *core.Error) {
		return account, nil
	})
	env.Handle("GET /memberships", func(r *http.Request) (any, *core.Error) {
		m := map[string]any{"id": "local-membership", "status": "accepted", "account": account, "roles": []string{"Administrator"}}
		return core.Paginate(r, []any{m}, pageSize)
	})
	env.Handle("GET /zones", func(r *http.Request) (any, *core.Error) {
		q := r.URL.Query()
		var list []map[string]any
		for _, z := range env.Zones {
			if name := q.Get("name"); name != "" && !strings.EqualFold(name, z.Name) {
				continue
			}
			if acct := q.Get("account.id"); acct != "" && acct != env.AccountID {
				continue
			}
			if status := q.Get("status"); status != "" && status != z.Status {
				continue
			}
			list = append(list, zoneObject(env, z))
		}
		return core.Paginate(r, list, pageSize)
	})
	env.Handle("GET /zones/{zone_id}", func(r *http.Request) (any, *core.Error) {
		z, _ := env.Zone(r.PathValue("zone_id"))
		return zoneObject(env, z), nil
	})
	return nil
}

func zoneObject(env *core.Env, z core.Zone) map[string]any {
	return map[string]any{
		"id": z.ID, "name": z.Name, "status": z.Status, "paused": false, "type": "full",
		"development_mode": 0,
		"name_servers":     []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		"account":          map[string]any{"id": env.AccountID, "name": env.AccountName},
		"created_on":       created, "modified_on": created, "activated_on": created,
	}
}
