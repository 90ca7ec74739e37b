package main

import "testing"

func TestTerraformKeepsProviderLogs(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"no logging", nil, false},
		{"TF_LOG", map[string]string{"TF_LOG": "TRACE"}, true},
		{"TF_LOG json", map[string]string{"TF_LOG": "JSON"}, true},
		{"TF_LOG off", map[string]string{"TF_LOG": "off"}, false},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "DEBUG"}, true},
		{"TF_LOG_PROVIDER off overrides TF_LOG", map[string]string{"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "OFF"}, false},
		{"core logs only", map[string]string{"TF_LOG_CORE": "TRACE"}, false},
		{"a path alone enables nothing", map[string]string{"TF_LOG_PATH": "tf.log"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := terraformKeepsProviderLogs(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("terraformKeepsProviderLogs(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}
