package kvnamespace

import (
	"context"
	"net/http"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// Cloudflare's KV namespace codes.
const codeTitleExists = 10014

// pageSize is the largest page of namespaces Cloudflare serves (its API
// schema; wrangler's own pager, kv/helpers.ts, asks for 100): a larger
// per_page is cut to it.
const pageSize = 100

func namespacesPath(cf *clients.Cloudflare, id ...string) string {
	return cf.Account(append([]string{"storage", "kv", "namespaces"}, id...)...)
}

// readNamespace is a refresh: from the account's namespaces, listed once
// for every namespace the operation reads, or directly for one the list
// lacks.
func readNamespace(ctx context.Context, cf *clients.Cloudflare, id string) (namespace, error) {
	list, err := clients.SharedList[namespace](ctx, cf, namespacesPath(cf), nil, pageSize)
	return clients.FromList(ctx, cf, list.Items, err, func(ns namespace) bool { return ns.ID == id }, namespacesPath(cf, id))
}

// findByTitle pages through the account's namespaces.
func findByTitle(ctx context.Context, cf *clients.Cloudflare, title string) (namespace, bool, error) {
	list, err := clients.List[namespace](ctx, cf, namespacesPath(cf), nil, pageSize)
	if err != nil {
		return namespace{}, false, err
	}
	for _, ns := range list {
		if ns.Title == title {
			return ns, true, nil
		}
	}
	return namespace{}, false, nil
}

// create posts a new namespace; a lost answer is resolved by the title,
// which Cloudflare keeps unique in an account.
func create(ctx context.Context, cf *clients.Cloudflare, title string) (namespace, error) {
	return clients.Create(ctx,
		func(ctx context.Context) (namespace, error) {
			var ns namespace
			err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: namespacesPath(cf), JSON: map[string]string{"title": title}}, &ns)
			return ns, err
		},
		func(ctx context.Context) (namespace, bool, error) { return findByTitle(ctx, cf, title) },
		func(err error) bool { return clients.HasCode(err, codeTitleExists) },
	)
}
