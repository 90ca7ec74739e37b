// Package alerting serves Cloudflare's notification policies and their
// history: /accounts/{account_id}/alerting/v3/policies and /history, in the
// shapes of cloudflare-go v7 (alerting.Policy, PolicyNewResponse, History).
// Other areas fire alerts through Dispatch; what was sent is kept in the
// history, where a test reads it as an operator reads the dashboard's.
package alerting

import (
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// Policy is a stored notification policy.
type Policy struct {
	ID            string              `json:"id"`
	Name          string              `json:"name"`
	Description   string              `json:"description"`
	AlertType     string              `json:"alert_type"`
	AlertInterval string              `json:"alert_interval,omitempty"`
	Enabled       bool                `json:"enabled"`
	Filters       map[string][]string `json:"filters"`
	Mechanisms    Mechanisms          `json:"mechanisms"`
	Created       time.Time           `json:"created"`
	Modified      time.Time           `json:"modified"`
}

// Mechanisms are where a policy's alerts go (cloudflare-go v7 Mechanism).
type Mechanisms struct {
	Email     []Target `json:"email"`
	Webhooks  []Target `json:"webhooks"`
	Pagerduty []Target `json:"pagerduty"`
}

// Target is an email address or a destination id.
type Target struct {
	ID string `json:"id"`
}

// Sent is one notification dispatched (cloudflare-go v7 History).
type Sent struct {
	ID            string    `json:"id"`
	AlertBody     string    `json:"alert_body"`
	AlertType     string    `json:"alert_type"`
	Description   string    `json:"description"`
	Mechanism     string    `json:"mechanism"`
	MechanismType string    `json:"mechanism_type"`
	Name          string    `json:"name"`
	PolicyID      string    `json:"policy_id"`
	Sent          time.Time `json:"sent"`
}

// State is this area's section of the persisted state.
type State struct {
	Policies []Policy `json:"policies"`
	History  []Sent   `json:"history"`
}

const section = "alerting"

// StateOf returns the alerting state registered in store. Call it outside
// the store's lock, use it inside.
func StateOf(store *core.Store) *State { return store.Section(section).(*State) }

// The alert types an account may use: cloudflare-go v7's PolicyAlertType.
var alertTypes = []string{
	"abuse_report_alert", "access_custom_certificate_expiration_type",
	"advanced_ddos_attack_l4_alert", "advanced_ddos_attack_l7_alert", "advanced_http_alert_error",
	"bgp_hijack_notification", "billing_usage_alert", "block_notification_block_removed",
	"block_notification_new_block", "block_notification_review_rejected", "bot_traffic_basic_alert",
	"brand_protection_alert", "brand_protection_digest", "clickhouse_alert_fw_anomaly",
	"clickhouse_alert_fw_ent_anomaly", "cloudforce_one_request_notification",
	"cni_maintenance_notification", "custom_analytics", "custom_bot_detection_alert",
	"custom_ssl_certificate_event_type", "dedicated_ssl_certificate_event_type",
	"device_connectivity_anomaly_alert", "dos_attack_l4", "dos_attack_l7",
	"expiring_service_token_alert", "failing_logpush_job_disabled_alert", "fbm_auto_advertisement",
	"fbm_dosd_attack", "fbm_volumetric_attack", "health_check_status_notification",
	"hostname_aop_custom_certificate_expiration_type", "http_alert_edge_error",
	"http_alert_origin_error", "image_notification", "image_resizing_notification",
	"incident_alert", "load_balancing_health_alert", "load_balancing_pool_enablement_alert",
	"logo_match_alert", "magic_tunnel_health_check_event", "magic_wan_tunnel_health",
	"maintenance_event_notification", "mtls_certificate_store_certificate_expiration_type",
	"pages_event_alert", "radar_notification", "real_origin_monitoring",
	"scriptmonitor_alert_new_code_change_detections", "scriptmonitor_alert_new_hosts",
	"scriptmonitor_alert_new_malicious_hosts", "scriptmonitor_alert_new_malicious_scripts",
	"scriptmonitor_alert_new_malicious_url", "scriptmonitor_alert_new_max_length_resource_url",
	"scriptmonitor_alert_new_resources", "secondary_dns_all_primaries_failing",
	"secondary_dns_primaries_failing", "secondary_dns_warning",
	"secondary_dns_zone_successfully_updated", "secondary_dns_zone_validation_warning",
	"security_insights_alert", "sentinel_alert", "stream_live_notifications",
	"synthetic_test_latency_alert", "synthetic_test_low_availability_alert",
	"traffic_anomalies_alert", "tunnel_health_event", "tunnel_update_event",
	"universal_ssl_event_type", "web_analytics_metrics_update",
	"zone_aop_custom_certificate_expiration_type",
}

// The filters a policy may carry: the fields of cloudflare-go v7's
// PolicyFilter, each "used for configuring" some types; which field goes
// with which type is checked only for the health check alert, the one this
// stand-in fires (its fields' comments name it).
var filterNames = []string{
	"actions", "affected_asns", "affected_components", "affected_locations", "airport_code",
	"alert_trigger_preferences", "alert_trigger_preferences_value", "enabled", "environment",
	"event", "event_source", "event_type", "group_by", "health_check_id", "incident_impact",
	"input_id", "insight_class", "limit", "logo_tag", "megabits_per_second", "new_health",
	"new_status", "packets_per_second", "pool_id", "pop_names", "product", "project_id", "protocol",
	"query_tag", "requests_per_second", "selectors", "services", "slo", "status", "target_hostname",
	"target_ip", "target_zone_name", "traffic_exclusions", "tunnel_id", "tunnel_name", "type",
	"where", "zones",
}

var filtersOf = map[string][]string{
	"health_check_status_notification": {"health_check_id", "status"},
}

// Health check statuses a health_check_status_notification filters on, as
// the official provider's example writes them (`status = ["Unhealthy"]`).
var healthStatuses = []string{"Healthy", "Unhealthy"}

var (
	errNotFound = core.Errorf(http.StatusNotFound, 17001, "Policy not found")
	destination = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// Codes: no source gives the alerting API's validation codes; 17xxx is
// assumed, under 400.
func invalid(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, 17000, format, args...)
}

func check(p Policy) *core.Error {
	switch {
	case p.Name == "":
		return invalid("name is required")
	case !slices.Contains(alertTypes, p.AlertType):
		return invalid("alert_type %q is not an alert type this account can use", p.AlertType)
	case len(p.Mechanisms.Email)+len(p.Mechanisms.Webhooks)+len(p.Mechanisms.Pagerduty) == 0:
		return invalid("mechanisms: at least one email, webhook or PagerDuty target is required")
	}
	for name, values := range p.Filters {
		if known, ok := filtersOf[p.AlertType]; ok && !slices.Contains(known, name) || !slices.Contains(filterNames, name) {
			return invalid("filters.%s is not a filter of %s", name, p.AlertType)
		}
		if p.AlertType == "health_check_status_notification" && name == "status" {
			for _, v := range values {
				if !slices.Contains(healthStatuses, v) {
					return invalid("filters.status: %q is not a health check status (Healthy, Unhealthy)", v)
				}
			}
		}
	}
	for _, e := range p.Mechanisms.Email {
		if a, err := mail.ParseAddress(e.ID); err != nil || a.Address != e.ID {
			return invalid("mechanisms.email: %q is not an email address", e.ID)
		}
	}
	for _, w := range append(slices.Clone(p.Mechanisms.Webhooks), p.Mechanisms.Pagerduty...) {
		if !destination.MatchString(w.ID) {
			return invalid("mechanisms: %q is not a destination id", w.ID)
		}
	}
	return nil
}

// Register adds the routes of this area.
func Register(env *core.Env) error {
	state := &State{}
	if err := env.Store.Register(section, state); err != nil {
		return err
	}
	const base = "/accounts/{account_id}/alerting/v3/policies"
	find := func(id string) int {
		return slices.IndexFunc(state.Policies, func(p Policy) bool { return p.ID == id })
	}
	// enabled, like name, alert_type and mechanisms, is required
	// (cloudflare-go v7 PolicyNewParams and PolicyUpdateParams).
	decode := func(r *http.Request) (Policy, *core.Error) {
		var in struct {
			Policy
			Enabled *bool `json:"enabled"`
		}
		if err := core.DecodeJSON(r, &in); err != nil {
			return Policy{}, err
		}
		if in.Enabled == nil {
			return Policy{}, invalid("enabled is required")
		}
		p := in.Policy
		p.Enabled = *in.Enabled
		if p.Filters == nil {
			p.Filters = map[string][]string{}
		}
		return p, check(p)
	}

	env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		var out []Policy
		env.Store.Read(func() { out = slices.Clone(state.Policies) })
		if out == nil {
			out = []Policy{}
		}
		return out, nil
	})
	env.Handle("GET "+base+"/{policy_id}", func(r *http.Request) (any, *core.Error) {
		var out Policy
		var err *core.Error
		env.Store.Read(func() {
			if i := find(r.PathValue("policy_id")); i >= 0 {
				out = state.Policies[i]
			} else {
				err = errNotFound
			}
		})
		return out, err
	})
	// A create and an update answer only the id (cloudflare-go v7
	// PolicyNewResponse, PolicyUpdateResponse).
	env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		p, err := decode(r)
		if err != nil {
			return nil, err
		}
		p.ID = newUUID()
		p.Created = env.Now().UTC()
		p.Modified = p.Created
		err = env.Store.Write(func() *core.Error { state.Policies = append(state.Policies, p); return nil })
		return map[string]string{"id": p.ID}, err
	})
	env.Handle("PUT "+base+"/{policy_id}", func(r *http.Request) (any, *core.Error) {
		p, err := decode(r)
		if err != nil {
			return nil, err
		}
		id := r.PathValue("policy_id")
		err = env.Store.Write(func() *core.Error {
			i := find(id)
			if i < 0 {
				return errNotFound
			}
			p.ID, p.Created, p.Modified = id, state.Policies[i].Created, env.Now().UTC()
			state.Policies[i] = p
			return nil
		})
		return map[string]string{"id": id}, err
	})
	env.Handle("DELETE "+base+"/{policy_id}", func(r *http.Request) (any, *core.Error) {
		id := r.PathValue("policy_id")
		err := env.Store.Write(func() *core.Error {
			i := find(id)
			if i < 0 {
				return errNotFound
			}
			state.Policies = slices.Delete(state.Policies, i, i+1)
			return nil
		})
		return nil, err
	})
	env.Handle("GET /accounts/{account_id}/alerting/v3/history", func(r *http.Request) (any, *core.Error) {
		var out []Sent
		env.Store.Read(func() { out = slices.Clone(state.History) })
		sort.SliceStable(out, func(i, j int) bool { return out[i].Sent.After(out[j].Sent) }) // newest first
		// Paged by page and per_page (cloudflare-go v7 HistoryListParams, a
		// V4PagePaginationArray); the sizes are assumed.
		return core.Paginate(r, out, core.PageSize{Default: 25, Min: 5, Max: 1000})
	})
	return nil
}

// Alert is something that happened, for the policies that want it.
type Alert struct {
	Type    string
	Filters map[string]string // each filter's value for this event
	Body    string
}

// Dispatch sends an alert to every enabled policy whose filters it passes,
// once per target, and records each in the history. Call it inside
// Store.Write.
func (s *State) Dispatch(now time.Time, a Alert) int {
	sent := 0
	for _, p := range s.Policies {
		if !p.Enabled || p.AlertType != a.Type || !passes(p.Filters, a.Filters) {
			continue
		}
		send := func(kind string, targets []Target) {
			for _, t := range targets {
				s.History = append(s.History, Sent{
					ID: newUUID(), AlertBody: a.Body, AlertType: a.Type, Description: p.Description,
					Mechanism: t.ID, MechanismType: kind, Name: p.Name, PolicyID: p.ID, Sent: now.UTC(),
				})
				sent++
			}
		}
		send("email", p.Mechanisms.Email)
		send("webhook", p.Mechanisms.Webhooks)
		send("pagerduty", p.Mechanisms.Pagerduty)
	}
	return sent
}

// passes: a filter the policy leaves out takes every value.
func passes(filters map[string][]string, event map[string]string) bool {
	for name, want := range filters {
		if len(want) > 0 && !slices.Contains(want, event[name]) {
			return false
		}
	}
	return true
}

func newUUID() string {
	id := core.NewID()
	return fmt.Sprintf("%s-%s-%s-%s-%s", id[0:8], id[8:12], id[12:16], id[16:20], id[20:32])
}
