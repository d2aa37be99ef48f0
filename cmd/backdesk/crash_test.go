package main

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles backdesk once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "backdesk-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "backdesk")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// startProcess runs `backdesk serve` as a real process and waits until it
// listens.
func startProcess(t *testing.T, dbURL string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
	}()
	select {
	case u := <-urlc:
		return cmd, u
	case <-time.After(60 * time.Second):
		t.Fatal("backdesk did not start")
	}
	return nil, ""
}

// TestKillDuringBookingLoad: SIGKILL a server under booking load; after a
// restart, every booking that was answered 201 is there.
func TestKillDuringBookingLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real process")
	}
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			cmd, base := startProcess(t, db.url, "--demo")
			jar, _ := cookiejar.New(nil)
			c := &Client{Client: &http.Client{Jar: jar, Timeout: 5 * time.Second}, base: base, tb: t}
			c.Login("reception@riverside.example")
			slots := slotsOf(t, c, "service=1&"+window(30))

			type ok struct{ id, start string }
			var mu sync.Mutex
			var acked []ok
			var wg sync.WaitGroup
			next := make(chan int)
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						s := slots[i]
						body := fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s","patient_id":"1"}`, s.PractitionerID, s.Start.Format(time.RFC3339))
						req, _ := http.NewRequest("POST", base+"/api/v1/appointments", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						resp, err := c.Client.Do(req)
						if err != nil {
							continue // the server died mid-request: not acknowledged
						}
						var b bookingJSON
						if resp.StatusCode == 201 {
							if derr := jsonDecode(resp, &b); derr == nil {
								mu.Lock()
								acked = append(acked, ok{b.ID, s.Start.Format(time.RFC3339)})
								mu.Unlock()
							}
						}
						resp.Body.Close()
					}
				}()
			}
			// Feed bookings until enough are acknowledged, then kill mid-stream.
			go func() {
				for i := range slots {
					mu.Lock()
					n := len(acked)
					mu.Unlock()
					if n >= 40 {
						cmd.Process.Signal(syscall.SIGKILL)
					}
					next <- i
				}
				close(next)
			}()
			wg.Wait()
			cmd.Wait()
			if len(acked) < 40 {
				t.Fatalf("only %d bookings acknowledged before the end", len(acked))
			}

			_, base2 := startProcess(t, db.url)
			jar2, _ := cookiejar.New(nil)
			c2 := &Client{Client: &http.Client{Jar: jar2}, base: base2, tb: t}
			c2.Login("reception@riverside.example")
			for _, a := range acked {
				status, body := c2.Get("/api/v1/appointments/" + a.id)
				var b bookingJSON
				decode(t, body, &b)
				if status != 200 || b.Start.Format(time.RFC3339) != a.start || b.Status != "booked" {
					t.Errorf("acknowledged booking %s at %s after restart: %d %s", a.id, a.start, status, body)
				}
			}
			t.Logf("%d acknowledged bookings all present after SIGKILL and restart", len(acked))
		})
	}
}
