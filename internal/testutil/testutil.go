// Package testutil holds the few helpers every test package needs, each
// failing the test on an error: a check must never pass because an answer
// could not be read.
package testutil

import (
	"encoding/json"
	"io"
	"os"
	"testing"
)

// Decode unmarshals data into v.
func Decode(t testing.TB, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decoding %.200s: %v", data, err)
	}
}

// ReadAll reads r to its end.
func ReadAll(t testing.TB, r io.Reader) []byte {
	t.Helper()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading an answer: %v", err)
	}
	return data
}

// RequireServices skips t unless TF_ACC is set. Tests that start
// PostgreSQL, install a tool from npm or run terraform run under
// `make test`, which sets TF_ACC=1 (as acceptance tests do); `make unit`
// runs every other test on a machine with Go alone. Call it before setting
// anything up.
func RequireServices(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("needs PostgreSQL, npm or terraform: runs with TF_ACC=1 (make test)")
	}
}
