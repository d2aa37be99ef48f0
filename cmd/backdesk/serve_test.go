package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestDebugListener: --debug-addr serves Go's profiles on a loopback
// listener of its own, never the command line (it may hold the mail
// server's password); the public address serves none of it; an address
// other than loopback is refused.
func TestDebugListener(t *testing.T) {
	app := demoAppWith(t, nil, "--debug-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`debug listener on (http://\S+)/debug/pprof/`).FindStringSubmatch(app.Stdout.String())
	if m == nil {
		t.Fatalf("no debug listener announced: %s", app.Stdout)
	}
	for _, tc := range []struct {
		base, path string
		want       int
	}{
		{m[1], "/debug/pprof/", 200},
		{m[1], "/debug/pprof/heap", 200},
		{m[1], "/debug/pprof/goroutine?debug=1", 200},
		{m[1], "/debug/pprof/cmdline", 404},
		{m[1], "/", 404},
		{app.URL, "/debug/pprof/", 404},
		{app.URL, "/debug/pprof/heap", 404},
	} {
		resp, err := http.Get(tc.base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s%s = %d, want %d", tc.base, tc.path, resp.StatusCode, tc.want)
		}
	}
	for _, addr := range []string{"0.0.0.0:6060", "192.0.2.1:6060", "[::]:6060", "6060"} {
		err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:" + t.TempDir() + "/x.db", "--debug-addr", addr},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--debug-addr") {
			t.Errorf("serve --debug-addr %s = %v, want it refused", addr, err)
		}
	}
}

// TestServerLimits: headers past 64 KiB are answered 431 and a form body
// past 1 MiB is refused, before any handler reads it whole.
func TestServerLimits(t *testing.T) {
	app := demoApp(t)
	req, _ := http.NewRequest("GET", app.URL+"/", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 100 KiB header = %d, want 431", resp.StatusCode)
	}
	c := app.Client(t)
	status, body, _ := c.PostForm("/login", url.Values{"email": {"sam.taylor@example.org"}, "password": {strings.Repeat("p", 2<<20)}})
	if status < 400 || status >= 500 || !strings.Contains(body, "The form could not be read.") {
		t.Errorf("a 2 MiB form = %d, want it refused unread: %.200s", status, body)
	}
	if status, _, _ := c.PostForm("/login", url.Values{"email": {"sam.taylor@example.org"}, "password": {DemoPassword}}); status != 303 {
		t.Errorf("a form of ordinary size = %d, want 303", status)
	}
}
