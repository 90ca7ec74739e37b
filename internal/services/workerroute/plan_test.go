package workerroute

import (
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/zone"
)

func TestRouteHostInZone(t *testing.T) {
	for _, tc := range []struct {
		pattern, zone string
		want          bool
	}{
		{"api.officehours.youcanjustdothings.io/*", "officehours.youcanjustdothings.io", true},
		{"officehours.youcanjustdothings.io/*", "officehours.youcanjustdothings.io", true},
		{"*.officehours.youcanjustdothings.io/*", "officehours.youcanjustdothings.io", true},
		{"*officehours.youcanjustdothings.io/*", "officehours.youcanjustdothings.io", true},
		{"api.example.com/*", "officehours.youcanjustdothings.io", false},
		{"evilofficehours.youcanjustdothings.io/*", "officehours.youcanjustdothings.io", false},
		{"youcanjustdothings.io/*", "officehours.youcanjustdothings.io", false},
	} {
		if got := zone.Contains(tc.zone, routeHost(tc.pattern)); got != tc.want {
			t.Errorf("in zone (%q, %q) = %v, want %v", tc.pattern, tc.zone, got, tc.want)
		}
	}
}
