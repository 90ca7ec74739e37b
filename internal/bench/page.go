package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Page markers: the program replaces what lies between them in the
// benchmarks page template.
const (
	BeginMarker = "<!-- bench:figures:begin -->"
	EndMarker   = "<!-- bench:figures:end -->"
)

// ReplaceBetween replaces the text between the begin and end markers (kept)
// with body. It fails when the markers are missing or out of order.
func ReplaceBetween(doc, begin, end, body string) (string, error) {
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < 0 || j < i {
		return "", fmt.Errorf("markers %q and %q not found in order", begin, end)
	}
	head := doc[:i+len(begin)]
	return head + "\n" + strings.TrimSpace(body) + "\n" + doc[j:], nil
}

// Machine describes where the benchmarks ran.
type Machine struct {
	CPU       string
	Cores     int
	Memory    string
	Kernel    string
	Go        string
	Terraform string
	Postgres  string
	Commit    string
	Date      string
}

// DescribeMachine reads /proc and asks the tools for their versions.
func DescribeMachine(ctx context.Context, terraform, commit string) Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), Commit: commit,
		Date: time.Now().UTC().Format("2006-01-02")}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				if _, err := fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb); err == nil {
					m.Memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(data))
	}
	first := func(args ...string) string {
		out, err := exec.CommandContext(ctx, args[0], args[1:]...).Output()
		if err != nil {
			return "unknown"
		}
		return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	m.Terraform = first(terraform, "version")
	m.Postgres = "unknown"
	if bindir := first("pg_config", "--bindir"); bindir != "unknown" {
		m.Postgres = first(bindir+"/postgres", "--version")
	}
	return m
}

// Lines describes the machine as list items.
func (m Machine) Lines() []string {
	cpu := m.CPU
	if cpu == "" {
		cpu = "unknown CPU"
	}
	return []string{
		fmt.Sprintf("%d cores (%s), %s of memory, %s", m.Cores, cpu, m.Memory, m.Kernel),
		fmt.Sprintf("%s, %s, %s", m.Terraform, m.Go, m.Postgres),
		fmt.Sprintf("provider built from commit %s, measured on %s", m.Commit, m.Date),
	}
}
