package zone

import (
	"context"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

// Name reads the name of a zone by id (one GET /zones/{zone_id} per
// operation, shared by every plan-time check of the zone).
func Name(ctx context.Context, cf *clients.Cloudflare, id string) (string, error) {
	z, err := clients.SharedGet[struct {
		Name string `json:"name"`
	}](ctx, cf, clients.Zone(id), nil)
	return z.Name, err
}

// Contains reports whether host is the zone's name or a name under it.
func Contains(zone, host string) bool {
	h, z := strings.ToLower(strings.TrimSuffix(host, ".")), strings.ToLower(zone)
	return h == z || strings.HasSuffix(h, "."+z)
}
