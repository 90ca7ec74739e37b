// Package bench holds the pieces of `make bench` (cmd/officehours-bench):
// the local stack it drives terraform against, measurement of one step
// (wall time, Cloudflare API requests from the local API's log, database
// statements, the provider's peak memory), and the summaries, tables and
// target verdicts it prints. The pure pieces (statistics, tables, request
// aggregation, verdicts) have unit tests; nothing here is timed in a test.
package bench

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Summary describes repeated measurements of one quantity.
type Summary struct {
	N                int
	Median, Min, Max float64
}

// Summarize returns the median and range of xs. The median of an even
// number of values is the mean of the middle two.
func Summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return Summary{N: n, Median: m, Min: s[0], Max: s[n-1]}
}

// SummarizeDurations is Summarize over durations in seconds.
func SummarizeDurations(ds []time.Duration) Summary {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = d.Seconds()
	}
	return Summarize(xs)
}

// SummarizeInts is Summarize over counts.
func SummarizeInts(ns []int64) Summary {
	xs := make([]float64, len(ns))
	for i, n := range ns {
		xs[i] = float64(n)
	}
	return Summarize(xs)
}

// Spread is (max-min)/median, the relative width of the range; 0 for one
// value or a zero median.
func (s Summary) Spread() float64 {
	if s.N < 2 || s.Median == 0 {
		return 0
	}
	return (s.Max - s.Min) / s.Median
}

// Seconds formats a summary of seconds as "1.23 s (1.20–1.31)"; one value
// has no range.
func (s Summary) Seconds() string {
	if s.N == 0 {
		return "–"
	}
	if s.N == 1 || s.Min == s.Max {
		return FormatSeconds(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", FormatSeconds(s.Median), formatSecondsBare(s.Min), formatSecondsBare(s.Max))
}

// Count formats a summary of counts: "41" when every repetition agreed,
// "41 (40–43)" when they did not.
func (s Summary) Count() string {
	if s.N == 0 {
		return "–"
	}
	if s.Min == s.Max {
		return formatNumber(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", formatNumber(s.Median), formatNumber(s.Min), formatNumber(s.Max))
}

// MiB formats a summary of byte counts in MiB.
func (s Summary) MiB() string {
	if s.N == 0 || s.Max <= 0 {
		return "–"
	}
	if s.N == 1 || s.Min == s.Max {
		return FormatMiB(int64(s.Median))
	}
	return fmt.Sprintf("%s (%.1f–%.1f)", FormatMiB(int64(s.Median)), s.Min/(1<<20), s.Max/(1<<20))
}

// FormatSeconds prints a duration in seconds with a precision that suits
// its size: "85 ms", "1.23 s", "12.3 s", "123 s".
func FormatSeconds(sec float64) string {
	if sec < 0.9995 {
		return fmt.Sprintf("%.0f ms", sec*1000)
	}
	return formatSecondsBare(sec) + " s"
}

func formatSecondsBare(sec float64) string {
	switch {
	case sec < 1:
		return fmt.Sprintf("%.2f", sec)
	case sec < 10:
		return fmt.Sprintf("%.2f", sec)
	case sec < 100:
		return fmt.Sprintf("%.1f", sec)
	}
	return fmt.Sprintf("%.0f", sec)
}

// FormatMiB prints bytes in MiB with one decimal.
func FormatMiB(bytes int64) string {
	if bytes <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20))
}

func formatNumber(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// FormatRatio prints a ratio as "1.27×".
func FormatRatio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "–"
	}
	if r < 10 {
		return fmt.Sprintf("%.2f×", r)
	}
	return fmt.Sprintf("%.1f×", r)
}
