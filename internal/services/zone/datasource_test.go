package zone_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

func config(cf *acctest.Cloudflare, name string) string {
	return acctest.ProviderBlock(cf, "") + `
data "officehours_zone" "main" {
  name = "` + name + `"
}
`
}

func TestAccZoneDataSource_foundAndNotFound(t *testing.T) {
	cf := acctest.NewCloudflareWith(t, localapi.Config{Zones: []string{localapi.DefaultZone, "other.example"}})
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ // of two zones, the one named, with its id and status
				Config: config(cf, "other.example"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.officehours_zone.main", tfjsonpath.New("id"), knownvalue.StringExact(cf.ZoneID("other.example"))),
					statecheck.ExpectKnownValue("data.officehours_zone.main", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
			{ // a zone the token cannot see is an error naming the attribute and the permission to check
				Config:      config(cf, "missing.example"),
				ExpectError: regexp.MustCompile(`Zone not found(?s:.*)No\s+zone\s+named\s+"missing.example"\s+is\s+visible\s+to\s+this\s+API\s+token(?s:.*)Zone\s+·\s+Zone\s+·\s+Read`),
			},
		},
	})
}
