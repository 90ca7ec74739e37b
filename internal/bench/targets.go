package bench

import (
	"fmt"
	"math"
)

// Target is one of the targets with the measurement against it: the
// measured value must be at most (or, with Strict, under) Limit; with
// AtLeast, at least Limit.
type Target struct {
	Name     string  // "plan of 1,000 applied migrations under 1 s"
	Measured float64 // in the unit of Limit
	Limit    float64
	Strict   bool                 // "under" rather than "at most"
	AtLeast  bool                 // a floor rather than a ceiling
	Format   func(float64) string // formats a value in the unit; nil prints %g
	Missing  string               // set when there is no measurement: why
}

func (t Target) format(x float64) string {
	if t.Format != nil {
		return t.Format(x)
	}
	return fmt.Sprintf("%g", x)
}

// Met reports whether the measurement meets the target.
func (t Target) Met() bool {
	if t.Missing != "" || math.IsNaN(t.Measured) {
		return false
	}
	if t.AtLeast {
		return t.Measured >= t.Limit
	}
	if t.Strict {
		return t.Measured < t.Limit
	}
	return t.Measured <= t.Limit
}

// Verdict says whether the target is met and by how far:
// "met: 0.42 s against 1 s (58% under)" or
// "MISSED: 2.30 s against 1 s (2.30× the limit, 1.30 s over)".
func (t Target) Verdict() string {
	if t.Missing != "" {
		return "not measured: " + t.Missing
	}
	m, l := t.format(t.Measured), t.format(t.Limit)
	if t.AtLeast {
		if t.Met() {
			return fmt.Sprintf("met: %s against at least %s", m, l)
		}
		return fmt.Sprintf("MISSED: %s against at least %s (%s short)", m, l, t.format(t.Limit-t.Measured))
	}
	if t.Met() {
		if t.Limit == 0 {
			return fmt.Sprintf("met: %s against %s", m, l)
		}
		return fmt.Sprintf("met: %s against %s (%.0f%% under)", m, l, 100*(t.Limit-t.Measured)/t.Limit)
	}
	if t.Limit == 0 {
		return fmt.Sprintf("MISSED: %s against %s", m, l)
	}
	return fmt.Sprintf("MISSED: %s against %s (%.2f× the limit, %s over)", m, l, t.Measured/t.Limit, t.format(t.Measured-t.Limit))
}

// String is "name — verdict".
func (t Target) String() string { return t.Name + " — " + t.Verdict() }

// TargetLines formats targets for Section.List.
func TargetLines(ts []Target) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}
