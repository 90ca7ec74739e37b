package bench

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MemorySampler follows the descendants of one process (terraform) and
// keeps the largest peak resident set size (VmHWM in /proc/<pid>/status)
// seen among those whose executable's name starts with a prefix (the
// provider, which terraform starts several times per command). A process's
// VmHWM is its own high-water mark, so sampling every interval misses only
// growth in the last interval before it exits.
type MemorySampler struct {
	root     int
	prefix   string
	interval time.Duration
	stop     chan struct{}
	done     chan struct{}

	mu      sync.Mutex
	peak    int64
	seen    map[int]bool // provider processes seen
	samples int
}

// StartMemorySampler samples every interval until Stop.
func StartMemorySampler(rootPID int, exePrefix string, interval time.Duration) *MemorySampler {
	m := &MemorySampler{root: rootPID, prefix: exePrefix, interval: interval,
		stop: make(chan struct{}), done: make(chan struct{}), seen: map[int]bool{}}
	go m.loop()
	return m
}

func (m *MemorySampler) loop() {
	defer close(m.done)
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		m.sample()
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

func (m *MemorySampler) sample() {
	for _, pid := range descendants(m.root) {
		exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		if err != nil || !strings.HasPrefix(filepath.Base(exe), m.prefix) {
			continue
		}
		hwm := vmHWM(pid)
		m.mu.Lock()
		m.seen[pid] = true
		m.samples++
		m.peak = max(m.peak, hwm)
		m.mu.Unlock()
	}
}

// Stop ends sampling and returns the peak in bytes (0 when no process
// matched) and how many distinct processes matched.
func (m *MemorySampler) Stop() (peak int64, processes int) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak, len(m.seen)
}

// descendants lists the pids below root, from /proc/<pid>/task/*/children
// (Linux 3.5+), or from the parent pids in /proc/*/stat where that file is
// missing.
func descendants(root int) []int {
	var out []int
	queue := []int{root}
	ok := true
	for len(queue) > 0 && ok {
		pid := queue[0]
		queue = queue[1:]
		tasks, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
		if err != nil || len(tasks) == 0 {
			if _, serr := os.Stat("/proc/" + strconv.Itoa(pid)); serr == nil {
				ok = false // the process exists but has no children files
			}
			continue
		}
		for _, f := range tasks {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, field := range strings.Fields(string(data)) {
				if child, err := strconv.Atoi(field); err == nil {
					out = append(out, child)
					queue = append(queue, child)
				}
			}
		}
	}
	if ok {
		return out
	}
	return descendantsByStat(root)
}

func descendantsByStat(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may contain spaces and parentheses.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			parent[pid] = ppid
		}
	}
	var out []int
	for pid := range parent {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// vmHWM reads a process's peak resident set size in bytes, 0 if unknown.
func vmHWM(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	return parseVMHWM(string(data))
}

// parseVMHWM finds "VmHWM:   12345 kB" in a /proc/<pid>/status text.
func parseVMHWM(status string) int64 {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
