// Package dns serves a zone's DNS records: /zones/{zone_id}/dns_records.
// Shapes follow cloudflare-go v7 (dns.RecordResponse, RecordListParams);
// codes are Cloudflare's as its users report them (each named where used).
package dns

import (
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Record is a stored record.
type Record struct {
	ID         string  `json:"id"`
	ZoneID     string  `json:"zone_id"`
	Name       string  `json:"name"`
	Type       string  `json:"type"`
	Content    string  `json:"content"`
	Proxied    bool    `json:"proxied"`
	TTL        int     `json:"ttl"`
	Priority   *int    `json:"priority,omitempty"`
	Comment    *string `json:"comment"`
	CreatedOn  string  `json:"created_on"`
	ModifiedOn string  `json:"modified_on"`
}

// State is this area's section of the persisted state. Pages reads it: a
// custom domain is active only while its CNAME exists.
type State struct {
	Records []Record `json:"records"`
}

const section = "dns"

// StateOf returns the DNS state registered in store. Call it outside the
// store's lock, use it inside.
func StateOf(store *core.Store) *State { return store.Section(section).(*State) }

// CNAME returns the content of the zone's CNAME record for name, if any.
// Call it inside Store.Read/Write.
func (s *State) CNAME(zoneID, name string) (string, bool) {
	for _, r := range s.Records {
		if r.ZoneID == zoneID && r.Type == "CNAME" && r.Name == strings.ToLower(name) {
			return r.Content, true
		}
	}
	return "", false
}

// Page size of record lists: 100 by default, up to 5,000,000 (the API
// schema's dns-records_per_page).
var pageSize = core.PageSize{Default: 100, Min: 1, Max: 5_000_000}

// Types served. Others are refused rather than stored half-checked.
var types = []string{"A", "AAAA", "CNAME", "TXT", "MX"}

var (
	// 81044 "Record does not exist." (zanjie1999/cloudflare-api-v4-ddns#5).
	errNotFound = core.Errorf(http.StatusNotFound, 81044, "Record does not exist.")
	// 81057 for an identical record (NewFuture/DDNS#21, aaPanel#112: HTTP 400).
	errIdentical = core.Errorf(http.StatusBadRequest, 81057, "Record already exists.")
	// 81053 when a CNAME would join address or CNAME records on its name
	// (HermanMartinus/bearblog#105), 81054 when a record would join a
	// CNAME (favonia/cloudflare-ddns#990). A CNAME beside records of other
	// types is refused the same way: a CNAME may share its name with nothing.
	errHostTaken  = core.Errorf(http.StatusBadRequest, 81053, "An A, AAAA, or CNAME record with that host already exists.")
	errCNAMETaken = core.Errorf(http.StatusBadRequest, 81054, "A CNAME record with that host already exists.")
)

// body is a record as clients send it; pointers tell "absent" from zero.
type body struct {
	Name     *string `json:"name"`
	Type     *string `json:"type"`
	Content  *string `json:"content"`
	Proxied  *bool   `json:"proxied"`
	TTL      *int    `json:"ttl"`
	Priority *int    `json:"priority"`
	Comment  *string `json:"comment"`
}

var hostname = regexp.MustCompile(`^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// fullName turns a record name into the full name Cloudflare stores: "@" is
// the apex, and a name not ending in the zone's is relative to it (so
// "api.example.com" in zone z becomes "api.example.com.z").
func fullName(name string, zone core.Zone) string {
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	switch {
	case n == "@" || n == zone.Name:
		return zone.Name
	case strings.HasSuffix(n, "."+zone.Name):
		return n
	}
	return n + "." + zone.Name
}

// check validates r as Cloudflare does and puts it in stored form.
func check(r *Record) *core.Error {
	if !slices.Contains(types, r.Type) {
		return core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: record type %q is not supported by the local API", r.Type)
	}
	if !hostname.MatchString(r.Name) {
		return core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: invalid record name %q", r.Name)
	}
	switch r.Type {
	case "A":
		if ip, err := netip.ParseAddr(r.Content); err != nil || !ip.Is4() {
			// 9005 (timothymiller/cloudflare-ddns#230)
			return core.Errorf(http.StatusBadRequest, 9005, "Content for A record must be a valid IPv4 address.")
		}
	case "AAAA":
		ip, err := netip.ParseAddr(r.Content)
		if err != nil || !ip.Is6() || ip.Is4In6() {
			// 9006 (wherelse/cloudflare-ddns-script#15)
			return core.Errorf(http.StatusBadRequest, 9006, "Content for AAAA record must be a valid IPv6 address.")
		}
		r.Content = ip.String() // stored in the short form
	case "CNAME", "MX":
		c := strings.ToLower(strings.TrimSuffix(r.Content, "."))
		if !hostname.MatchString(c) {
			// No source shows this code; 9007 is assumed.
			return core.Errorf(http.StatusBadRequest, 9007, "Content for %s record is invalid.", r.Type)
		}
		r.Content = c
	case "TXT":
		if r.Content == "" || len(r.Content) > 2048 {
			return core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: TXT content must be 1 to 2048 characters")
		}
	}
	if r.Proxied && r.Type != "A" && r.Type != "AAAA" && r.Type != "CNAME" {
		// 9041 (jordantrizz/cloudflare-cli#8)
		return core.Errorf(http.StatusBadRequest, 9041, "Invalid proxied mode. Record cannot be proxied.")
	}
	// 9021 (openwrt/packages#11083); 60 is the minimum cloudflare-go v7 documents.
	if r.TTL != 1 && (r.TTL < 60 || r.TTL > 86400) {
		return core.Errorf(http.StatusBadRequest, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for automatic.")
	}
	if r.Proxied {
		r.TTL = 1 // a proxied record's TTL is always automatic
	}
	if r.Type == "MX" && r.Priority == nil {
		return core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: an MX record needs a priority")
	}
	if r.Type != "MX" {
		r.Priority = nil
	}
	if r.Comment != nil && len(*r.Comment) > 100 {
		return core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: comment is longer than 100 characters")
	}
	if r.Comment != nil && *r.Comment == "" {
		r.Comment = nil
	}
	return nil
}

// collides checks r against the zone's other records.
func collides(records []Record, r Record) *core.Error {
	for _, o := range records {
		if o.ZoneID != r.ZoneID || o.Name != r.Name || o.ID == r.ID {
			continue
		}
		switch {
		case o.Type == r.Type && o.Content == r.Content:
			return errIdentical
		case o.Type == "CNAME":
			return errCNAMETaken
		case r.Type == "CNAME":
			return errHostTaken
		}
	}
	return nil
}

// view is a record as the API answers it (cloudflare-go v7 RecordResponse).
func view(r Record) map[string]any {
	out := map[string]any{
		"id": r.ID, "name": r.Name, "type": r.Type, "content": r.Content,
		"proxiable": r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME",
		"proxied":   r.Proxied, "ttl": r.TTL, "settings": map[string]any{}, "meta": map[string]any{},
		"comment": r.Comment, "tags": []string{}, "created_on": r.CreatedOn, "modified_on": r.ModifiedOn,
	}
	if r.Priority != nil {
		out["priority"] = *r.Priority
	}
	return out
}

// Register adds the routes of this area.
func Register(env *core.Env) error {
	state := &State{}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	const base = "/zones/{zone_id}/dns_records"

	env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		q := r.URL.Query()
		zone, _ := env.Zone(r.PathValue("zone_id"))
		filters := map[string]func(Record) bool{}
		exact := func(key, field string, get func(Record) string) {
			if v := q.Get(key); v != "" {
				want := strings.ToLower(v)
				if field == "name" {
					want = fullName(v, zone)
				}
				filters[key] = func(rec Record) bool { return strings.EqualFold(get(rec), want) }
			}
		}
		// name and content filter exactly, as name.exact and content.exact
		// do (cloudflare-go v7 sends the dotted forms).
		for _, key := range []string{"name", "name.exact"} {
			exact(key, "name", func(rec Record) string { return rec.Name })
		}
		for _, key := range []string{"content", "content.exact"} {
			exact(key, "content", func(rec Record) string { return rec.Content })
		}
		if v := q.Get("type"); v != "" {
			filters["type"] = func(rec Record) bool { return rec.Type == v }
		}
		if v := q.Get("proxied"); v != "" {
			filters["proxied"] = func(rec Record) bool { return (v == "true") == rec.Proxied }
		}
		matchAny := q.Get("match") == "any"
		list := []map[string]any{}
		env.Store.Read(func() {
			for _, rec := range state.Records {
				if rec.ZoneID != zone.ID || !matches(rec, filters, matchAny) {
					continue
				}
				list = append(list, view(rec))
			}
		})
		return core.Paginate(r, list, pageSize)
	})

	env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		var b body
		if err := core.DecodeJSON(r, &b); err != nil {
			return nil, err
		}
		zone, _ := env.Zone(r.PathValue("zone_id"))
		rec, apiErr := newRecord(b, zone)
		if apiErr != nil {
			return nil, apiErr
		}
		now := core.Timestamp(env.Now())
		rec.ID, rec.CreatedOn, rec.ModifiedOn = core.NewID(), now, now
		apiErr = env.Store.Write(func() *core.Error {
			if err := collides(state.Records, rec); err != nil {
				return err
			}
			state.Records = append(state.Records, rec)
			return nil
		})
		if apiErr != nil {
			return nil, apiErr
		}
		return view(rec), nil
	})

	find := func(r *http.Request) int {
		return slices.IndexFunc(state.Records, func(rec Record) bool {
			return rec.ID == r.PathValue("record_id") && rec.ZoneID == r.PathValue("zone_id")
		})
	}

	env.Handle("GET "+base+"/{record_id}", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		env.Store.Read(func() {
			if i := find(r); i >= 0 {
				out = view(state.Records[i])
			}
		})
		if out == nil {
			return nil, errNotFound
		}
		return out, nil
	})

	// PUT overwrites the record (name, type and ttl are required by
	// cloudflare-go v7's params); PATCH changes the fields it names.
	update := func(overwrite bool) core.HandlerFunc {
		return func(r *http.Request) (any, *core.Error) {
			var b body
			if err := core.DecodeJSON(r, &b); err != nil {
				return nil, err
			}
			zone, _ := env.Zone(r.PathValue("zone_id"))
			var out map[string]any
			apiErr := env.Store.Write(func() *core.Error {
				i := find(r)
				if i < 0 {
					return errNotFound
				}
				old := state.Records[i]
				var rec Record
				var err *core.Error
				if overwrite {
					rec, err = newRecord(b, zone)
				} else {
					rec, err = patched(old, b, zone)
				}
				if err != nil {
					return err
				}
				rec.ID, rec.ZoneID, rec.CreatedOn, rec.ModifiedOn = old.ID, old.ZoneID, old.CreatedOn, core.Timestamp(env.Now())
				if err := collides(state.Records, rec); err != nil {
					return err
				}
				state.Records[i] = rec
				out = view(rec)
				return nil
			})
			return out, apiErr
		}
	}
	env.Handle("PUT "+base+"/{record_id}", update(true))
	env.Handle("PATCH "+base+"/{record_id}", update(false))

	env.Handle("DELETE "+base+"/{record_id}", func(r *http.Request) (any, *core.Error) {
		var id string
		apiErr := env.Store.Write(func() *core.Error {
			i := find(r)
			if i < 0 {
				return errNotFound
			}
			id = state.Records[i].ID
			state.Records = slices.Delete(state.Records, i, i+1)
			return nil
		})
		if apiErr != nil {
			return nil, apiErr
		}
		return map[string]string{"id": id}, nil // cloudflare-go v7 RecordDeleteResponse
	})
	return nil
}

func matches(rec Record, filters map[string]func(Record) bool, matchAny bool) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if ok := f(rec); ok && matchAny {
			return true
		} else if !ok && !matchAny {
			return false
		}
	}
	return !matchAny
}

// newRecord builds a record from a body that must name everything PUT and
// POST need: name, type, content and ttl.
func newRecord(b body, zone core.Zone) (Record, *core.Error) {
	switch {
	case b.Name == nil || *b.Name == "":
		return Record{}, core.Errorf(http.StatusBadRequest, 9000, "DNS name is invalid.")
	case b.Type == nil:
		return Record{}, core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: type is required")
	case b.Content == nil:
		return Record{}, core.Errorf(http.StatusBadRequest, 1004, "DNS Validation Error: content is required")
	case b.TTL == nil:
		return Record{}, core.Errorf(http.StatusBadRequest, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for automatic.")
	}
	return patched(Record{ZoneID: zone.ID}, b, zone)
}

// patched applies the fields b names to rec and checks the result.
func patched(rec Record, b body, zone core.Zone) (Record, *core.Error) {
	if b.Name != nil {
		rec.Name = fullName(*b.Name, zone)
	}
	if b.Type != nil {
		rec.Type = strings.ToUpper(*b.Type)
	}
	if b.Content != nil {
		rec.Content = *b.Content
	}
	if b.Proxied != nil {
		rec.Proxied = *b.Proxied
	}
	if b.TTL != nil {
		rec.TTL = *b.TTL
	}
	if b.Priority != nil {
		p := *b.Priority
		rec.Priority = &p
	}
	if b.Comment != nil {
		c := *b.Comment
		rec.Comment = &c
	}
	if rec.ZoneID == "" {
		rec.ZoneID = zone.ID
	}
	return rec, check(&rec)
}
