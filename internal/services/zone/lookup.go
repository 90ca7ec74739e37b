package zone

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

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

// NameForCheck reads a zone's name for a plan-time check of what a
// resource puts in it (checking says what, for the warning). It returns ""
// when the check cannot be made now: Cloudflare is not configured or not
// known yet (apply says what to set), or the zone could not be read (a
// warning on zone_id says so; apply checks again).
func NameForCheck(ctx context.Context, c *clients.Clients, zoneID, checking string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if c == nil || c.CloudflareUnknown() {
		return "", diags
	}
	cf, d := c.Cloudflare()
	if d.HasError() {
		return "", diags
	}
	name, err := Name(ctx, cf, zoneID)
	if err != nil {
		diags.AddAttributeWarning(path.Root("zone_id"), "Zone not checked",
			fmt.Sprintf("Reading zone %s to check %s failed: %s. Apply checks again.", zoneID, checking, err))
		return "", diags
	}
	return name, diags
}
