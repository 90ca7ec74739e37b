// Command terraform-provider-officehours serves the officehours Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/provider"
)

// version is set by goreleaser through -ldflags.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug && !terraformKeepsProviderLogs(os.Getenv) {
		silenceProviderLogs()
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/youcanjustdothings/officehours",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// terraformKeepsProviderLogs reports whether the Terraform (or OpenTofu)
// that started the provider keeps what it writes to stderr: both keep
// provider logs at the level of TF_LOG_PROVIDER, or of TF_LOG when that is
// unset, and discard them when the level is empty or "off" (see their
// "Debugging" pages). The plugin SDK's loggers default to TRACE whatever
// Terraform does with the lines, and formatting them is about a quarter of
// the provider's CPU in a plan of 200 policies (`make bench`, rls).
func terraformKeepsProviderLogs(getenv func(string) string) bool {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	return level != "" && !strings.EqualFold(level, "off")
}

// silenceProviderLogs turns off the loggers of terraform-plugin-go, of
// terraform-plugin-framework and of this provider (tflog's
// TF_LOG_PROVIDER_<NAME>), in this process only.
func silenceProviderLogs() {
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_OFFICEHOURS"} {
		_ = os.Setenv(name, "off")
	}
}
