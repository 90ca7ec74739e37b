package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Probe says what to count during a step.
type Probe struct {
	API    *API   // reset before the step; nil counts no requests
	DBName string // "" counts no database work
	Memory bool   // sample the provider's peak memory
}

// Step is one measured step.
type Step struct {
	Name      string
	Wall      time.Duration
	Requests  map[string]int // by "METHOD route pattern"
	Statuses  map[int]int    // answers by HTTP status
	DB        DBDelta
	HasDB     bool
	PeakRSS   int64 // bytes; 0 when not sampled
	Processes int   // provider processes seen
	ExitCode  int
	Output    string
	Log       string // file holding Output
}

// Command is one process to run and measure.
type Command struct {
	Dir  string
	Env  []string
	Args []string // program and arguments
}

// Measure runs the commands one after the other (a step may be many
// processes, such as psql once per file) and measures them as one step.
// A command that exits non-zero ends the step; its code is in ExitCode, and
// the error is nil unless a command could not run at all. okCodes lists
// exit codes besides 0 that do not end the step (plan -detailed-exitcode's
// 2).
func (s *Stack) Measure(ctx context.Context, name string, p Probe, cmds []Command, okCodes ...int) (Step, error) {
	st := Step{Name: name}
	var mark DBMark
	if p.DBName != "" && s.DB != nil {
		var err error
		if mark, err = s.DB.Begin(ctx, p.DBName); err != nil {
			return st, err
		}
		st.HasDB = true
	}
	if p.API != nil {
		p.API.Reset()
	}
	var out bytes.Buffer
	start := time.Now()
	for _, c := range cmds {
		cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
		cmd.Dir, cmd.Env = c.Dir, c.Env
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return st, fmt.Errorf("%s: %w", name, err)
		}
		var sampler *MemorySampler
		if p.Memory {
			sampler = StartMemorySampler(cmd.Process.Pid, ProviderPrefix, 20*time.Millisecond)
		}
		err := cmd.Wait()
		if sampler != nil {
			peak, n := sampler.Stop()
			st.PeakRSS = max(st.PeakRSS, peak)
			st.Processes += n
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			st.ExitCode = exit.ExitCode()
			ok := false
			for _, c := range okCodes {
				ok = ok || c == st.ExitCode
			}
			if !ok {
				break
			}
		} else if err != nil {
			return st, fmt.Errorf("%s: %w", name, err)
		}
	}
	st.Wall = time.Since(start)
	if p.API != nil {
		st.Requests = p.API.Counts()
		st.Statuses = p.API.Statuses()
	}
	if st.HasDB {
		var err error
		if st.DB, err = s.DB.End(ctx, mark); err != nil {
			return st, err
		}
	}
	st.Output = out.String()
	st.Log = s.saveLog(name, st.Output)
	return st, nil
}

// Run runs a command without measuring it (terraform init, set-up) and
// fails with its output when it exits non-zero.
func (s *Stack) Run(ctx context.Context, name string, c Command) (string, error) {
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir, cmd.Env = c.Dir, c.Env
	out, err := cmd.CombinedOutput()
	log := s.saveLog(name, string(out))
	if err != nil {
		return string(out), fmt.Errorf("%s failed (%w); output in %s:\n%s", name, err, log, Tail(string(out), 40))
	}
	return string(out), nil
}

// TF is a terraform command line.
func (s *Stack) TF(dir string, env []string, args ...string) Command {
	return Command{Dir: dir, Env: env, Args: append([]string{s.Terraform}, args...)}
}

func (s *Stack) saveLog(name string, output string) string {
	s.mu.Lock()
	s.seq++
	n := s.seq
	s.mu.Unlock()
	dir := filepath.Join(s.Root, "logs")
	_ = os.MkdirAll(dir, 0o755)
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, name)
	path := filepath.Join(dir, fmt.Sprintf("%04d-%s.log", n, clean))
	_ = os.WriteFile(path, []byte(output), 0o644)
	return path
}

// Tail is the last n lines of text.
func Tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Failure describes a step that exited non-zero.
func (st Step) Failure() error {
	return fmt.Errorf("%s exited %d; output in %s:\n%s", st.Name, st.ExitCode, st.Log, Tail(st.Output, 30))
}

// ApplySummary finds terraform's "Resources: 3 added, 1 changed, 0
// destroyed." or "Resources: 5 destroyed." line in the output.
func ApplySummary(output string) string {
	for _, line := range strings.Split(output, "\n") {
		if i := strings.Index(line, "Resources: "); i >= 0 && (strings.Contains(line, "complete!")) {
			return strings.TrimSuffix(strings.TrimSpace(line[i+len("Resources: "):]), ".")
		}
	}
	return ""
}
