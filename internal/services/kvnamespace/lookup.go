package kvnamespace

import (
	"context"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/kv"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// pageSize is the largest page the API serves; most accounts fit in one.
const pageSize = 1000

// findByTitle pages through the account's namespaces. It stops at a short
// page, saving the empty-page request Cloudflare's SDK iterators make.
func findByTitle(ctx context.Context, cf *clients.Cloudflare, title string) (*kv.Namespace, error) {
	for page := 1; ; page++ {
		list, err := cf.API.KV.Namespaces.List(ctx, kv.NamespaceListParams{
			AccountID: cloudflare.F(cf.AccountID),
			Page:      cloudflare.F(float64(page)),
			PerPage:   cloudflare.F(float64(pageSize)),
		})
		if err != nil {
			return nil, err
		}
		for i := range list.Result {
			if list.Result[i].Title == title {
				return &list.Result[i], nil
			}
		}
		if len(list.Result) < pageSize {
			return nil, nil
		}
	}
}
