package localruntime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localruntime"
)

// Without Node.js the runtime says so, in words a developer can act on,
// and the stack (officehours-local) goes on without it.
func TestStartWithoutNodeSaysSo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	api, err := localapi.New(localapi.Config{Token: strings.Repeat("t", 40)})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	_, err = localruntime.Start(t.Context(), localruntime.Options{API: api, Dir: t.TempDir()})
	if !errors.Is(err, localruntime.ErrNoNode) || !strings.Contains(err.Error(), "install Node.js") {
		t.Fatalf("Start without node: %v", err)
	}
}
