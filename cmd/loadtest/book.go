package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// bookResult is what the booking phase measured.
type bookResult struct {
	ok, warmupOK int           // answered 201: measured, and in the warm-up
	failed       int           // anything else, warm-up included
	failures     []string      // the first few, for the report
	elapsed      time.Duration // of the measured phase
	latencies    []time.Duration
	cpu          time.Duration // the servers' CPU time in the measured phase
	dbCPU        time.Duration // the database server's (PostgreSQL's backends)
	clientCPU    time.Duration // this process's: the clients'
	dbFound      bool          // whether any backend was found
	sampledRSS   int64         // the largest resident memory sampled in it
}

// client is one signed-in patient booking through one server.
type client struct {
	http   *http.Client
	base   string
	cookie string
	next   int64 // the next slot index it books
}

// book signs the clients in and has them book, first for o.warmup, then
// for o.duration, measured.
func book(ctx context.Context, c *loadClinic, servers []*server, d database, o options) (bookResult, error) {
	var r bookResult
	tr := &http.Transport{MaxIdleConnsPerHost: o.clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	clients := make([]*client, o.clients)
	for i := range clients {
		cl := &client{http: hc, base: servers[i%len(servers)].url, next: int64(i)}
		if err := cl.signIn(ctx, c.emails[i]); err != nil {
			return r, err
		}
		clients[i] = cl
	}
	var mu sync.Mutex
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		r.failed++
		if len(r.failures) < 5 {
			r.failures = append(r.failures, msg)
		}
	}
	// phase books until deadline and returns each client's latencies.
	phase := func(deadline time.Time) ([][]time.Duration, int) {
		lat := make([][]time.Duration, len(clients))
		var ok atomic.Int64
		var wg sync.WaitGroup
		for i, cl := range clients {
			wg.Go(func() {
				for time.Now().Before(deadline) && ctx.Err() == nil {
					if cl.next >= c.capacity() {
						fail("the load clinic ran out of free times: give more --practitioners")
						return
					}
					pid, start := c.slot(cl.next)
					cl.next += int64(len(clients))
					t := time.Now()
					status, body, err := cl.book(ctx, c.serviceID, pid, start)
					d := time.Since(t)
					switch {
					case err != nil:
						fail(err.Error())
					case status != http.StatusCreated:
						fail(fmt.Sprintf("%d %s", status, bytes.TrimSpace(body)))
					default:
						ok.Add(1)
						lat[i] = append(lat[i], d)
					}
				}
			})
		}
		wg.Wait()
		return lat, int(ok.Load())
	}
	if o.warmup > 0 {
		_, r.warmupOK = phase(time.Now().Add(o.warmup))
	}

	// Measured: the servers' CPU time across the phase, their memory
	// sampled through it, and optionally the first one's CPU profile.
	cpu0, err := serversCPU(servers)
	if err != nil {
		return r, err
	}
	self0, _ := cpuTime(os.Getpid())
	db0 := d.serverCPU()
	stopSampling := sampleRSS(servers, &r.sampledRSS)
	profileDone := make(chan error, 1)
	if o.cpuProfile != "" {
		go func() { profileDone <- cpuProfile(ctx, servers[0], o.duration, o.cpuProfile) }()
	} else {
		profileDone <- nil
	}
	start := time.Now()
	lat, ok := phase(start.Add(o.duration))
	r.elapsed = time.Since(start)
	stopSampling()
	cpu1, err := serversCPU(servers)
	if err != nil {
		return r, err
	}
	self1, _ := cpuTime(os.Getpid())
	db1 := d.serverCPU()
	r.cpu, r.ok = cpu1-cpu0, ok
	r.clientCPU, r.dbCPU, r.dbFound = self1-self0, db1.since(db0), len(db1) > 0
	for _, l := range lat {
		r.latencies = append(r.latencies, l...)
	}
	slices.Sort(r.latencies)
	if err := <-profileDone; err != nil {
		return r, fmt.Errorf("cpu profile: %w", err)
	}
	return r, ctx.Err()
}

func (cl *client) signIn(ctx context.Context, email string) error {
	body, _ := json.Marshal(map[string]string{"email": email, "password": loadPassword})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cl.base+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := cl.http.Do(req)
	if err != nil {
		return fmt.Errorf("sign in %s: %w", email, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sign in %s: %s", email, resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "backdesk_session" {
			cl.cookie = c.Name + "=" + c.Value
		}
	}
	if cl.cookie == "" {
		return fmt.Errorf("sign in %s: no session cookie", email)
	}
	return nil
}

// book asks for one appointment, as a patient's app would.
func (cl *client) book(ctx context.Context, serviceID, practitionerID int64, start time.Time) (int, []byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, `{"service_id":"`...)
	b = strconv.AppendInt(b, serviceID, 10)
	b = append(b, `","practitioner_id":"`...)
	b = strconv.AppendInt(b, practitionerID, 10)
	b = append(b, `","start":"`...)
	b = start.AppendFormat(b, time.RFC3339)
	b = append(b, `"}`...)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cl.base+"/api/v1/appointments", bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", cl.cookie)
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func serversCPU(ss []*server) (time.Duration, error) {
	var sum time.Duration
	for _, s := range ss {
		t, err := cpuTime(s.cmd.Process.Pid)
		if err != nil {
			return 0, fmt.Errorf("server CPU time: %w", err)
		}
		sum += t
	}
	return sum, nil
}

// sampleRSS keeps the largest resident memory of any server, every 100 ms,
// in *max, until the returned stop is called.
func sampleRSS(ss []*server, max *int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			for _, s := range ss {
				if m, err := procStatus(s.cmd.Process.Pid); err == nil && m.rss > *max {
					*max = m.rss
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// cpuProfile fetches s's CPU profile over the measured phase (less a
// second at each end) from its debug listener into file.
func cpuProfile(ctx context.Context, s *server, d time.Duration, file string) error {
	secs := int((d - 2*time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	select {
	case <-time.After(time.Second):
	case <-ctx.Done():
		return ctx.Err()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.debugURL, secs), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
