package envdiff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/testutil"
)

func ptr(s string) *string { return &s }

func TestPatch(t *testing.T) {
	prior := Environment{
		Plain:          map[string]string{"A": "1", "B": "2", "NODE_VERSION": "20"},
		Secrets:        map[string]*string{"S": nil, "T": nil},
		KV:             map[string]string{"CACHE": "ns1", "OLD": "ns2"},
		DurableObjects: map[string]string{"ROOMS": "do1"},
	}
	tests := []struct {
		name  string
		prior Environment
		want  Environment
		body  string // JSON; null marks a deletion
	}{
		{"nothing to do", Environment{}, Environment{}, `{}`},
		{"unchanged sends nothing", prior,
			Environment{Plain: prior.Plain, Secrets: map[string]*string{"S": nil, "T": nil}, KV: prior.KV, DurableObjects: prior.DurableObjects},
			`{}`},
		{"one value changed", prior,
			Environment{Plain: map[string]string{"A": "1", "B": "3", "NODE_VERSION": "20"}, Secrets: map[string]*string{"S": nil, "T": nil}, KV: prior.KV, DurableObjects: prior.DurableObjects},
			`{"env_vars":{"B":{"type":"plain_text","value":"3"}}}`},
		{"removals are nulls", prior,
			Environment{Plain: map[string]string{"A": "1"}, Secrets: map[string]*string{"S": nil}, KV: map[string]string{"CACHE": "ns1"}},
			`{"env_vars":{"B":null,"NODE_VERSION":null,"T":null},"kv_namespaces":{"OLD":null},"durable_object_namespaces":{"ROOMS":null}}`},
		{"everything removed", prior, Environment{},
			`{"env_vars":{"A":null,"B":null,"NODE_VERSION":null,"S":null,"T":null},"kv_namespaces":{"CACHE":null,"OLD":null},"durable_object_namespaces":{"ROOMS":null}}`},
		{"secret rotated, binding moved", prior,
			Environment{Plain: prior.Plain, Secrets: map[string]*string{"S": ptr("new"), "T": nil}, KV: map[string]string{"CACHE": "ns9", "OLD": "ns2"}, DurableObjects: prior.DurableObjects},
			`{"env_vars":{"S":{"type":"secret_text","value":"new"}},"kv_namespaces":{"CACHE":{"namespace_id":"ns9"}}}`},
		{"plain becomes secret and secret becomes plain", prior,
			Environment{Plain: map[string]string{"A": "1", "B": "2", "NODE_VERSION": "20", "S": "open"}, Secrets: map[string]*string{"T": nil, "A2": ptr("x")}, KV: prior.KV, DurableObjects: prior.DurableObjects},
			`{"env_vars":{"S":{"type":"plain_text","value":"open"},"A2":{"type":"secret_text","value":"x"}}}`},
		{"first write from nothing", Environment{},
			Environment{Plain: map[string]string{"X": "1"}, Secrets: map[string]*string{"K": ptr("v")}, DurableObjects: map[string]string{"R": "d"}},
			`{"env_vars":{"X":{"type":"plain_text","value":"1"},"K":{"type":"secret_text","value":"v"}},"durable_object_namespaces":{"R":{"namespace_id":"d"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Patch(tt.prior, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.body), &want); err != nil {
				t.Fatal(err)
			}
			// Compare through JSON: that is what goes on the wire, and nil
			// must come out as an explicit null.
			data, _ := json.Marshal(got)
			var wire map[string]any
			testutil.Decode(t, data, &wire)
			if !reflect.DeepEqual(wire, want) {
				t.Errorf("body\n got %s\nwant %s", data, tt.body)
			}
		})
	}
}

func TestPatchRefusesInconsistentInput(t *testing.T) {
	if _, err := Patch(Environment{}, Environment{Secrets: map[string]*string{"NEW": nil}}); err == nil || !strings.Contains(err.Error(), "NEW") {
		t.Errorf("a new secret without a value: %v", err)
	}
	if _, err := Patch(Environment{}, Environment{Plain: map[string]string{"X": "1"}, Secrets: map[string]*string{"X": ptr("2")}}); err == nil {
		t.Errorf("a variable both plain and secret was accepted")
	}
}

func TestSplit(t *testing.T) {
	plain, secrets, node := Split(map[string]APIVar{
		"A": {"plain_text", "1"}, "NODE_VERSION": {"plain_text", "20"},
		"Z": {"secret_text", ""}, "K": {"secret_text", ""},
	})
	if !reflect.DeepEqual(plain, map[string]string{"A": "1"}) || !reflect.DeepEqual(secrets, []string{"K", "Z"}) || node != "20" {
		t.Errorf("plain %v secrets %v node %q", plain, secrets, node)
	}
	plain, secrets, node = Split(nil)
	if len(plain) != 0 || secrets != nil || node != "" {
		t.Errorf("empty: %v %v %q", plain, secrets, node)
	}
}

func TestNodeVersion(t *testing.T) {
	for _, tt := range []struct{ prod, preview, prior, want string }{
		{"20", "20", "20", "20"},
		{"22", "20", "20", "22"}, // production changed out of band
		{"20", "18", "20", "18"}, // preview changed out of band
		{"", "", "20", ""},       // removed from both
		{"20", "20", "", "20"},   // import
	} {
		if got := NodeVersion(tt.prod, tt.preview, tt.prior); got != tt.want {
			t.Errorf("NodeVersion(%q, %q, %q) = %q, want %q", tt.prod, tt.preview, tt.prior, got, tt.want)
		}
	}
}

func TestNullNormalisation(t *testing.T) {
	if _, null := ListOrNull([]string{}, true); !null {
		t.Error("[] with a null prior should stay null")
	}
	if l, null := ListOrNull(nil, false); null || l == nil || len(l) != 0 {
		t.Error("null with a [] prior should stay []")
	}
	if l, null := ListOrNull([]string{"a"}, true); null || len(l) != 1 {
		t.Error("a non-empty list is reported whatever the prior")
	}
	if _, null := MapOrNull(map[string]string{}, true); !null {
		t.Error("{} with a null prior should stay null")
	}
	if m, null := MapOrNull[string](nil, false); null || m == nil {
		t.Error("null with a {} prior should stay {}")
	}
}
