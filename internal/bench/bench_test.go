package bench

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	cases := []struct {
		in               []float64
		median, min, max float64
	}{
		{[]float64{3}, 3, 3, 3},
		{[]float64{5, 1, 3}, 3, 1, 5},
		{[]float64{4, 1, 3, 2}, 2.5, 1, 4},
		{[]float64{2, 2, 9, 2, 2}, 2, 2, 9},
	}
	for _, c := range cases {
		s := Summarize(c.in)
		if s.N != len(c.in) || s.Median != c.median || s.Min != c.min || s.Max != c.max {
			t.Errorf("Summarize(%v) = %+v, want median %g min %g max %g", c.in, s, c.median, c.min, c.max)
		}
	}
	if s := Summarize(nil); s.N != 0 || s.Seconds() != "–" || s.Count() != "–" {
		t.Errorf("empty summary = %+v %q", s, s.Seconds())
	}
	in := []float64{3, 1, 2}
	Summarize(in)
	if in[0] != 3 {
		t.Error("Summarize sorted its input")
	}
}

func TestSpread(t *testing.T) {
	if got := Summarize([]float64{1, 2, 3}).Spread(); math.Abs(got-1) > 1e-9 {
		t.Errorf("spread = %g, want 1", got)
	}
	if got := Summarize([]float64{7}).Spread(); got != 0 {
		t.Errorf("spread of one value = %g", got)
	}
}

func TestSummaryFormats(t *testing.T) {
	ds := SummarizeDurations([]time.Duration{1200 * time.Millisecond, 1100 * time.Millisecond, 1500 * time.Millisecond})
	if got, want := ds.Seconds(), "1.20 s (1.10–1.50)"; got != want {
		t.Errorf("Seconds() = %q, want %q", got, want)
	}
	if got, want := SummarizeDurations([]time.Duration{85 * time.Millisecond}).Seconds(), "85 ms"; got != want {
		t.Errorf("one value = %q, want %q", got, want)
	}
	if got, want := SummarizeInts([]int64{41, 41, 41}).Count(), "41"; got != want {
		t.Errorf("equal counts = %q, want %q", got, want)
	}
	if got, want := SummarizeInts([]int64{40, 43, 41}).Count(), "41 (40–43)"; got != want {
		t.Errorf("varying counts = %q, want %q", got, want)
	}
	if got, want := SummarizeInts([]int64{50 << 20}).MiB(), "50.0 MiB"; got != want {
		t.Errorf("MiB = %q, want %q", got, want)
	}
	if got, want := SummarizeInts([]int64{0}).MiB(), "–"; got != want {
		t.Errorf("no memory sample = %q, want %q", got, want)
	}
	for sec, want := range map[float64]string{0.0855: "86 ms", 1.234: "1.23 s", 12.34: "12.3 s", 123.4: "123 s"} {
		if got := FormatSeconds(sec); got != want {
			t.Errorf("FormatSeconds(%g) = %q, want %q", sec, got, want)
		}
	}
	if got := FormatRatio(1.2345); got != "1.23×" {
		t.Errorf("FormatRatio = %q", got)
	}
	if got := FormatRatio(math.Inf(1)); got != "–" {
		t.Errorf("FormatRatio(inf) = %q", got)
	}
}

var sampleCounts = map[string]int{
	"GET /client/v4/accounts/{account_id}/workers/scripts/{script_name}":             3,
	"GET /client/v4/accounts/{account_id}/workers/services/{service_name}":           3,
	"PUT /client/v4/accounts/{account_id}/workers/scripts/{script_name}/secrets":     7,
	"GET /client/v4/accounts/{account_id}/workers/scripts/{script_name}/secrets/{n}": 7,
	"POST /client/v4/accounts/{account_id}/storage/kv/namespaces":                    2,
	"GET /client/v4/zones/{zone_id}/workers/routes/{route_id}":                       1,
	"DELETE /client/v4/accounts/{account_id}/storage/kv/namespaces/{namespace_id}":   2,
	"GET (no route) /client/v4/accounts/abc/nothing":                                 1,
}

func TestRoutes(t *testing.T) {
	rs := Routes(sampleCounts)
	if len(rs) != len(sampleCounts) {
		t.Fatalf("Routes returned %d entries, want %d: %+v", len(rs), len(sampleCounts), rs)
	}
	// Sorted by count, then route.
	if rs[0].Count != 7 || rs[0].Route != "/workers/scripts/{script_name}/secrets" || rs[0].Method != "PUT" {
		t.Errorf("first = %+v", rs[0])
	}
	for i := 1; i < len(rs); i++ {
		if rs[i].Count > rs[i-1].Count {
			t.Errorf("not sorted by count: %+v before %+v", rs[i-1], rs[i])
		}
	}
	found := false
	for _, r := range rs {
		if r.Route == "/zones/{zone_id}/workers/routes/{route_id}" && r.Method == "GET" {
			found = true
		}
		if strings.HasPrefix(r.Route, "/client/v4") {
			t.Errorf("prefix not dropped: %q", r.Route)
		}
		if strings.HasPrefix(r.Route, "(no route)") && r.Method != "GET" {
			t.Errorf("no-route entry = %+v", r)
		}
	}
	if !found {
		t.Error("zone route missing")
	}
}

func TestRoutesMergesAndSkipsZero(t *testing.T) {
	counts := map[string]int{
		"GET /client/v4/accounts/{account_id}/storage/kv/namespaces": 2,
		"GET /accounts/{account_id}/storage/kv/namespaces":           3,
		"PUT /client/v4/accounts/{account_id}/storage/kv/namespaces": 0,
	}
	rs := Routes(counts)
	if len(rs) != 1 || rs[0].Count != 5 || rs[0].Route != "/storage/kv/namespaces" {
		t.Errorf("Routes = %+v", rs)
	}
}

func TestByMethodAndTotal(t *testing.T) {
	if got, want := Total(sampleCounts), 26; got != want {
		t.Errorf("Total = %d, want %d", got, want)
	}
	if got, want := FormatByMethod(sampleCounts), "GET 15, POST 2, PUT 7, DELETE 2"; got != want {
		t.Errorf("FormatByMethod = %q, want %q", got, want)
	}
	if got := FormatByMethod(nil); got != "none" {
		t.Errorf("FormatByMethod(nil) = %q", got)
	}
	lines := FormatRoutes(map[string]int{"GET /client/v4/accounts/{account_id}/workers/scripts/{script_name}": 1})
	if len(lines) != 1 || lines[0] != "GET /workers/scripts/{script_name} ×1" {
		t.Errorf("FormatRoutes = %q", lines)
	}
	scriptReads := CountWhere(sampleCounts, func(m, r string) bool {
		return m == "GET" && strings.HasPrefix(r, "/workers/") && !strings.Contains(r, "/secrets")
	})
	if scriptReads != 6 {
		t.Errorf("CountWhere = %d, want 6", scriptReads)
	}
	sum := AddCounts(nil, map[string]int{"a": 1})
	sum = AddCounts(sum, map[string]int{"a": 2, "b": 1})
	if sum["a"] != 3 || sum["b"] != 1 {
		t.Errorf("AddCounts = %v", sum)
	}
}

func TestShortRoute(t *testing.T) {
	for in, want := range map[string]string{
		"/client/v4/accounts/{account_id}/workers/scripts/{script_name}": "/workers/scripts/{script_name}",
		"/client/v4/accounts/{account_id}":                               "/",
		"/client/v4/zones":                                               "/zones",
		"/elsewhere":                                                     "/elsewhere",
	} {
		if got := ShortRoute(in); got != want {
			t.Errorf("ShortRoute(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTableText(t *testing.T) {
	tb := Table{Header: []string{"step", "n", "note"}, Right: []int{1}}
	tb.Add("plan", "5", "ok")
	tb.Add("first apply", "120", "")
	got := tb.Text("")
	want := "step           n  note\n" +
		"-----------  ---  ----\n" +
		"plan           5  ok\n" +
		"first apply  120\n"
	if got != want {
		t.Errorf("Text() =\n%s\nwant\n%s", got, want)
	}
}

func TestTableMarkdown(t *testing.T) {
	tb := Table{Header: []string{"step", "requests"}, Right: []int{1}}
	tb.Add("a|b", "3")
	tb.Add("short") // missing cell
	got := tb.Markdown()
	want := "| step | requests |\n| --- | ---: |\n| a\\|b | 3 |\n| short |  |\n"
	if got != want {
		t.Errorf("Markdown() =\n%s\nwant\n%s", got, want)
	}
}

func TestSection(t *testing.T) {
	var s Section
	s.Title = "RLS"
	s.Para("Intro.")
	tb := Table{Header: []string{"x"}}
	tb.Add("1")
	s.Table("Caption:", tb)
	s.List("Targets:", []string{"one"})
	s.List("empty", nil)
	text := s.Text()
	for _, part := range []string{"== RLS ==", "Intro.", "Caption:", "  x\n", "  - one"} {
		if !strings.Contains(text, part) {
			t.Errorf("Text() lacks %q:\n%s", part, text)
		}
	}
	if strings.Contains(text, "empty") {
		t.Error("an empty list was printed")
	}
	md := s.Markdown()
	for _, part := range []string{"### RLS\n", "Intro.\n", "Caption:\n\n| x |", "- one\n"} {
		if !strings.Contains(md, part) {
			t.Errorf("Markdown() lacks %q:\n%s", part, md)
		}
	}
}

func TestTargetVerdict(t *testing.T) {
	met := Target{Name: "plan", Measured: 0.42, Limit: 1, Strict: true, Format: FormatSeconds}
	if !met.Met() || met.Verdict() != "met: 420 ms against 1.00 s (58% under)" {
		t.Errorf("met verdict = %q", met.Verdict())
	}
	missed := Target{Name: "apply", Measured: 3, Limit: 1.5, Format: FormatRatio}
	if missed.Met() || missed.Verdict() != "MISSED: 3.00× against 1.50× (2.00× the limit, 1.50× over)" {
		t.Errorf("missed verdict = %q", missed.Verdict())
	}
	edge := Target{Measured: 1, Limit: 1}
	if !edge.Met() {
		t.Error("at most: equal should be met")
	}
	edge.Strict = true
	if edge.Met() {
		t.Error("under: equal should be missed")
	}
	floor := Target{Measured: 1700, Limit: 1500, AtLeast: true}
	if !floor.Met() || floor.Verdict() != "met: 1700 against at least 1500" {
		t.Errorf("floor verdict = %q", floor.Verdict())
	}
	floor.Measured = 1200
	if floor.Met() || floor.Verdict() != "MISSED: 1200 against at least 1500 (300 short)" {
		t.Errorf("short floor verdict = %q", floor.Verdict())
	}
	none := Target{Name: "x", Missing: "no resource"}
	if none.Met() || none.Verdict() != "not measured: no resource" {
		t.Errorf("missing verdict = %q", none.Verdict())
	}
	if lines := TargetLines([]Target{none}); len(lines) != 1 || lines[0] != "x — not measured: no resource" {
		t.Errorf("TargetLines = %q", lines)
	}
}

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n"
	if got, want := parseVMHWM(status), int64(51200*1024); got != want {
		t.Errorf("parseVMHWM = %d, want %d", got, want)
	}
	if got := parseVMHWM("Name: x\n"); got != 0 {
		t.Errorf("no VmHWM = %d", got)
	}
}

func TestReplaceBetween(t *testing.T) {
	doc := "head\n" + BeginMarker + "\nold\n" + EndMarker + "\ntail\n"
	got, err := ReplaceBetween(doc, BeginMarker, EndMarker, "\nnew figures\n\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "head\n" + BeginMarker + "\nnew figures\n" + EndMarker + "\ntail\n"
	if got != want {
		t.Errorf("ReplaceBetween =\n%q\nwant\n%q", got, want)
	}
	if _, err := ReplaceBetween("no markers", BeginMarker, EndMarker, "x"); err == nil {
		t.Error("missing markers accepted")
	}
	if _, err := ReplaceBetween(EndMarker+BeginMarker, BeginMarker, EndMarker, "x"); err == nil {
		t.Error("markers out of order accepted")
	}
}

func TestApplySummary(t *testing.T) {
	out := "officehours_kv_namespace.a: Creating...\n\nApply complete! Resources: 3 added, 1 changed, 0 destroyed.\n"
	if got, want := ApplySummary(out), "3 added, 1 changed, 0 destroyed"; got != want {
		t.Errorf("ApplySummary = %q, want %q", got, want)
	}
	if got, want := ApplySummary("Destroy complete! Resources: 5 destroyed.\n"), "5 destroyed"; got != want {
		t.Errorf("ApplySummary(destroy) = %q, want %q", got, want)
	}
	if got := ApplySummary("No changes."); got != "" {
		t.Errorf("ApplySummary(no changes) = %q", got)
	}
}
