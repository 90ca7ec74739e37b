package localapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/kv"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/cloudflare-go/v7/zones"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

// Cloudflare's own Go client (cloudflare-go v7, the SDK of Cloudflare's
// Terraform provider) against the stand-in: it creates and lists through
// its auto-pagers, which stop only on an empty page, with page sizes the
// stand-in cuts to Cloudflare's maxima.
func TestCloudflareGoClientAgainstTheLocalAPI(t *testing.T) {
	s, base := start(t, localapi.Config{})
	ctx := context.Background()
	client := cloudflare.NewClient(option.WithBaseURL(base+"/"), option.WithAPIToken(token), option.WithMaxRetries(0))
	acct := cloudflare.F(s.AccountID())

	const namespaces = 150
	for i := range namespaces {
		if _, err := client.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: acct, Title: cloudflare.F(fmt.Sprintf("ns-%03d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	// per_page 1000, as wrangler's kv namespace list asks (kv/index.ts), is
	// cut to 100: the first page is short of what was asked, not the last.
	first, err := client.KV.Namespaces.List(ctx, kv.NamespaceListParams{AccountID: acct, PerPage: cloudflare.F(1000.0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Result) != 100 || first.ResultInfo.PerPage != 100 {
		t.Fatalf("first page: %d namespaces, result_info %+v", len(first.Result), first.ResultInfo)
	}
	n := 0
	for iter := client.KV.Namespaces.ListAutoPaging(ctx, kv.NamespaceListParams{AccountID: acct, PerPage: cloudflare.F(1000.0)}); iter.Next(); {
		n++
	}
	if n != namespaces {
		t.Fatalf("the SDK's pager saw %d of %d namespaces", n, namespaces)
	}

	zoneList, err := client.Zones.List(ctx, zones.ZoneListParams{Name: cloudflare.F(localapi.DefaultZone), PerPage: cloudflare.F(1000.0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(zoneList.Result) != 1 || zoneList.ResultInfo.PerPage != 50 {
		t.Fatalf("zones: %+v, result_info %+v", zoneList.Result, zoneList.ResultInfo)
	}
	zoneID := zoneList.Result[0].ID

	rec, err := client.DNS.Records.New(ctx, dns.RecordNewParams{ZoneID: cloudflare.F(zoneID), Body: dns.CNAMERecordParam{
		Name: cloudflare.F("www." + localapi.DefaultZone), Type: cloudflare.F(dns.CNAMERecordTypeCNAME),
		Content: cloudflare.F("cf-office-hours.pages.dev"), TTL: cloudflare.F(dns.TTL(1)), Proxied: cloudflare.F(true),
	}})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for iter := client.DNS.Records.ListAutoPaging(ctx, dns.RecordListParams{ZoneID: cloudflare.F(zoneID),
		Name: cloudflare.F(dns.RecordListParamsName{Exact: cloudflare.F("www." + localapi.DefaultZone)})}); iter.Next(); {
		if iter.Current().ID != rec.ID || !iter.Current().Proxied {
			t.Fatalf("listed %+v", iter.Current())
		}
		found++
	}
	if found != 1 {
		t.Fatalf("the SDK found %d records by name.exact", found)
	}
	if _, err := client.DNS.Records.Delete(ctx, rec.ID, dns.RecordDeleteParams{ZoneID: cloudflare.F(zoneID)}); err != nil {
		t.Fatal(err)
	}
}
