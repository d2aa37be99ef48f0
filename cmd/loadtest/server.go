package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// build compiles ./cmd/backdesk of the module this command belongs to.
func build(ctx context.Context, dir string) (string, error) {
	mod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" || strings.TrimSpace(string(mod)) == os.DevNull {
		return "", errors.New("run loadtest inside the backdesk module (go run ./cmd/loadtest), or give --backdesk PATH")
	}
	bin := filepath.Join(dir, "backdesk")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/backdesk")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/backdesk: %v\n%s", err, out)
	}
	return bin, nil
}

// server is one running `backdesk serve` process.
type server struct {
	cmd      *exec.Cmd
	url      string // http://127.0.0.1:PORT
	debugURL string // with --debug-addr: http://127.0.0.1:PORT
	exited   chan struct{}
	waitErr  error
	peakRSS  int64 // bytes, VmHWM read just before it stops
	stopOnce sync.Once
}

// startServers starts n processes of bin on dbURL, each on a free loopback
// port, with their logs in dir (server-N.log).
func startServers(ctx context.Context, bin, dbURL string, n int, debug bool, dir string) ([]*server, error) {
	var out []*server
	for i := range n {
		s, err := startServer(ctx, bin, dbURL, debug, filepath.Join(dir, fmt.Sprintf("server-%d.log", i+1)))
		if err != nil {
			stopServers(out)
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func startServer(ctx context.Context, bin, dbURL string, debug bool, logPath string) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child holds its own descriptor
	// Each load patient books far more than the online limit a clinic
	// sets for its patients (--patient-bookings): the load is the booking
	// path itself.
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--patient-bookings", "0"}
	if debug {
		args = append(args, "--debug-addr", "127.0.0.1:0")
	}
	cmd := exec.Command(bin, args...)
	// The server's settings are the command line's alone.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BACKDESK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, exited: make(chan struct{})}
	found := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if _, rest, ok := strings.Cut(line, "debug listener on "); ok {
				s.debugURL = strings.TrimSuffix(strings.Fields(rest)[0], "/debug/pprof/")
			}
			if _, rest, ok := strings.Cut(line, "backdesk listening on "); ok {
				s.url = strings.Fields(rest)[0]
				if !debug {
					found <- nil
				}
			}
			if debug && s.url != "" && s.debugURL != "" {
				found <- nil
				debug = false // report once
			}
		}
		select {
		case found <- fmt.Errorf("backdesk serve stopped before it listened (see %s)", logPath):
		default:
		}
	}()
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()
	select {
	case err := <-found:
		if err != nil {
			s.stop()
			return nil, err
		}
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, fmt.Errorf("backdesk serve did not listen within a minute (see %s)", logPath)
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	return s, nil
}

// stop ends the process as an operator would (SIGTERM, then, after 20 s,
// SIGKILL), first noting its peak resident memory.
func (s *server) stop() error {
	var err error
	s.stopOnce.Do(func() {
		if st, e := procStatus(s.cmd.Process.Pid); e == nil {
			s.peakRSS = st.hwm
		}
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
			<-s.exited
			err = errors.New("backdesk serve did not stop within 20 s of SIGTERM")
			return
		}
		var ee *exec.ExitError
		if s.waitErr != nil && !errors.As(s.waitErr, &ee) {
			err = s.waitErr
		} else if s.waitErr != nil {
			err = fmt.Errorf("backdesk serve: %v", s.waitErr)
		}
	})
	return err
}

func stopServers(ss []*server) error {
	var errs []error
	for _, s := range ss {
		errs = append(errs, s.stop())
	}
	return errors.Join(errs...)
}

// clockTicks is the kernel's USER_HZ, in which /proc reports CPU time: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: the fields
	// counted from 3 (state) start after its closing parenthesis.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// memory is a process's resident memory now and at its peak, in bytes.
type memory struct{ rss, hwm int64 }

func procStatus(pid int) (memory, error) {
	var m memory
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) != 2 || fs[1] != "kB" {
			continue
		}
		n, err := strconv.ParseInt(fs[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			m.rss = n << 10
		case "VmHWM":
			m.hwm = n << 10
		}
	}
	return m, sc.Err()
}
