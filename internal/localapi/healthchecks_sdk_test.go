package localapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/alerting"
	"github.com/cloudflare/cloudflare-go/v7/healthchecks"
	"github.com/cloudflare/cloudflare-go/v7/option"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

type flakyOrigin struct{ failing atomic.Bool }

func (o *flakyOrigin) RoundTrip(*http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if o.failing.Load() {
		rec.WriteHeader(http.StatusBadGateway)
	}
	return rec.Result(), nil
}

// cloudflare-go v7 creates a health check with only what its params require
// and reads Cloudflare's defaults back; the check's probes change its
// status, and a notification policy made through the SDK is alerted, as the
// SDK's history list shows.
func TestCloudflareGoHealthChecksAndAlerting(t *testing.T) {
	s, base := start(t, localapi.Config{TimeScale: 0.001})
	origin := &flakyOrigin{}
	origin.failing.Store(true)
	s.SetOrigins(origin)
	ctx := context.Background()
	client := cloudflare.NewClient(option.WithBaseURL(base+"/"), option.WithAPIToken(token), option.WithMaxRetries(0))
	zoneID := s.ZoneID(localapi.DefaultZone)

	hc, err := client.Healthchecks.New(ctx, healthchecks.HealthcheckNewParams{ZoneID: cloudflare.F(zoneID), QueryHealthcheck: healthchecks.QueryHealthcheckParam{
		Name: cloudflare.F("api-health"), Address: cloudflare.F("api." + localapi.DefaultZone), Type: cloudflare.F("HTTPS"),
		HTTPConfig: cloudflare.F(healthchecks.HTTPConfigurationParam{Path: cloudflare.F("/health")}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if hc.Interval != 60 || hc.Retries != 2 || hc.Timeout != 5 || hc.ConsecutiveFails != 1 || hc.ConsecutiveSuccesses != 1 ||
		hc.HTTPConfig.Port != 443 || hc.HTTPConfig.Method != "GET" || len(hc.HTTPConfig.ExpectedCodes) != 1 || hc.Status != "unknown" {
		t.Fatalf("defaults: %+v", hc)
	}
	waitFor := func(status healthchecks.HealthcheckStatus) *healthchecks.Healthcheck {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			got, err := client.Healthchecks.Get(ctx, hc.ID, healthchecks.HealthcheckGetParams{ZoneID: cloudflare.F(zoneID)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == status {
				return got
			}
		}
		t.Fatalf("health check never turned %s", status)
		return nil
	}
	if got := waitFor(healthchecks.HealthcheckStatusUnhealthy); got.FailureReason != "Response code mismatch error" {
		t.Fatalf("failure reason %q", got.FailureReason)
	}

	acct := cloudflare.F(s.AccountID())
	policy, err := client.Alerting.Policies.New(ctx, alerting.PolicyNewParams{
		AccountID: acct, Name: cloudflare.F("API health"), Enabled: cloudflare.F(true),
		AlertType:  cloudflare.F(alerting.PolicyNewParamsAlertTypeHealthCheckStatusNotification),
		Mechanisms: cloudflare.F(alerting.MechanismParam{Email: cloudflare.F([]alerting.MechanismEmailParam{{ID: cloudflare.F("oncall@youcanjustdothings.io")}})}),
		Filters:    cloudflare.F(alerting.PolicyFilterParam{HealthCheckID: cloudflare.F([]string{hc.ID}), Status: cloudflare.F([]string{"Healthy"})}),
	})
	if err != nil {
		t.Fatal(err)
	}
	read, err := client.Alerting.Policies.Get(ctx, policy.ID, alerting.PolicyGetParams{AccountID: acct})
	if err != nil || read.Filters.HealthCheckID[0] != hc.ID || read.Mechanisms.Email[0].ID != "oncall@youcanjustdothings.io" || !read.Enabled {
		t.Fatalf("policy read back: %+v %v", read, err)
	}
	origin.failing.Store(false)
	waitFor(healthchecks.HealthcheckStatusHealthy)
	var sent []alerting.History
	for iter := client.Alerting.History.ListAutoPaging(ctx, alerting.HistoryListParams{AccountID: acct}); iter.Next(); {
		sent = append(sent, iter.Current())
	}
	if len(sent) != 1 || sent[0].PolicyID != policy.ID || sent[0].Mechanism != "oncall@youcanjustdothings.io" || sent[0].MechanismType != "email" {
		t.Fatalf("history: %+v (only the Healthy alert passes the filter)", sent)
	}
}

// What the provider's validation keeps from being sent, the stand-in
// refuses too, with the field named: a client that skips the provider's
// checks (curl, another tool) meets them here.
func TestHealthChecksAndPoliciesRefuseBadInput(t *testing.T) {
	s, base := start(t, localapi.Config{})
	checks := base + "/zones/" + s.ZoneID(localapi.DefaultZone) + "/healthchecks"
	policies := base + "/accounts/" + s.AccountID() + "/alerting/v3/policies"
	email := `"mechanisms":{"email":[{"id":"oncall@youcanjustdothings.io"}]}`
	for _, tc := range []struct{ name, url, body, field string }{
		{"name", checks, `{"name":"api health","address":"api.example.com"}`, "name"},
		{"address", checks, `{"name":"api","address":"not a host"}`, "address"},
		{"interval", checks, `{"name":"api","address":"api.example.com","interval":30}`, "interval"},
		{"timeout", checks, `{"name":"api","address":"api.example.com","interval":60,"timeout":60}`, "timeout"},
		{"codes", checks, `{"name":"api","address":"api.example.com","http_config":{"expected_codes":["ok"]}}`, "expected_codes"},
		{"user agent", checks, `{"name":"api","address":"api.example.com","http_config":{"header":{"User-Agent":["x"]}}}`, "User-Agent"},
		{"enabled", policies, `{"name":"p","alert_type":"health_check_status_notification",` + email + `}`, "enabled"},
		{"alert type", policies, `{"name":"p","enabled":true,"alert_type":"nope",` + email + `}`, "alert_type"},
		{"no target", policies, `{"name":"p","enabled":true,"alert_type":"health_check_status_notification","mechanisms":{}}`, "mechanisms"},
		{"status", policies, `{"name":"p","enabled":true,"alert_type":"health_check_status_notification",` + email + `,"filters":{"status":["unhealthy"]}}`, "filters.status"},
		{"filter", policies, `{"name":"p","enabled":true,"alert_type":"health_check_status_notification",` + email + `,"filters":{"pool_id":["x"]}}`, "filters.pool_id"},
	} {
		status, env := call(t, "POST", tc.url, tc.body)
		if status != 400 || len(env.Errors) != 1 || !strings.Contains(env.Errors[0].Message, tc.field) {
			t.Errorf("%s: %d %+v, want 400 naming %s", tc.name, status, env.Errors, tc.field)
		}
	}
	if status, env := call(t, "GET", checks+"?per_page=7", ""); status != 400 || !strings.Contains(env.Errors[0].Message, "multiple of 5") {
		t.Errorf("per_page 7: %d %+v, want 400 (cloudflare-go v7: a multiple of 5)", status, env.Errors)
	}
	for _, url := range []string{checks, policies} {
		if _, env := call(t, "GET", url, ""); string(env.Result) != "[]" {
			t.Errorf("bad input stored something at %s: %s", url, env.Result)
		}
	}
}
