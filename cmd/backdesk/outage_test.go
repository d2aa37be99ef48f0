package main

import (
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"backdesk/storetest"
)

// dbProxy stands between backdesk and the PostgreSQL test server, so that
// a test can cut the database off and bring it back without touching the
// server others share.
type dbProxy struct {
	ln     net.Listener
	target func() (net.Conn, error)
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

// startDBProxy proxies the PostgreSQL URL dbURL and returns a URL that
// reaches the same database through the proxy.
func startDBProxy(t *testing.T, dbURL string) (*dbProxy, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	host, port := q.Get("host"), q.Get("port")
	if host == "" {
		host = u.Hostname()
	}
	if port == "" {
		port = u.Port()
	}
	if port == "" {
		port = "5432"
	}
	dial := func() (net.Conn, error) { return net.Dial("tcp", net.JoinHostPort(host, port)) }
	if strings.HasPrefix(host, "/") { // a socket folder
		dial = func() (net.Conn, error) { return net.Dial("unix", filepath.Join(host, ".s.PGSQL."+port)) }
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{ln: ln, target: dial}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	q.Set("host", "127.0.0.1")
	q.Set("port", portOf(ln))
	q.Set("sslmode", "disable")
	u.Host, u.RawQuery = "", q.Encode()
	return p, u.String()
}

func portOf(ln net.Listener) string {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func (p *dbProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		s, err := p.target()
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		go func() { io.Copy(c, s); c.Close() }()
	}
}

// cut drops every connection and refuses new ones, as a database that has
// gone away; restore lets them through again.
func (p *dbProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *dbProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// TestDatabaseDownKeepsSession: while PostgreSQL cannot be reached, a
// signed-in patient is told the clinic cannot check their sign-in (503),
// on pages and in the API, and keeps their session cookie; once it is back
// the same session works. (They were told "Please sign in" with 401.)
func TestDatabaseDownKeepsSession(t *testing.T) {
	t.Parallel() // its own servers and databases
	if storetest.PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	proxy, viaProxy := startDBProxy(t, storetest.FreshPostgresSchema(t))
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": viaProxy}, "--demo")
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	if status, _ := sam.Get("/api/v1/me"); status != 200 {
		t.Fatalf("/api/v1/me before the outage = %d", status)
	}
	proxy.cut()
	for _, tc := range []struct{ path, want string }{
		{"/api/v1/me", `"code":"unavailable"`},
		{"/api/v1/appointments", `"code":"unavailable"`},
		{"/appointments", "You are still signed in"},
		{"/account", "You are still signed in"},
	} {
		status, body, h := sam.Do("GET", tc.path, "", "")
		if status != 503 || !strings.Contains(body, tc.want) || h.Get("Retry-After") == "" {
			t.Errorf("GET %s while the database is down = %d %q, want 503 with %q: %.200s", tc.path, status, h.Get("Location"), tc.want, body)
		}
		if strings.Contains(h.Get("Set-Cookie"), "backdesk_session") {
			t.Errorf("GET %s while the database is down touched the session cookie: %s", tc.path, h.Get("Set-Cookie"))
		}
	}
	if status, _ := sam.Get("/healthz"); status != 200 {
		t.Errorf("/healthz while the database is down = %d", status)
	}
	proxy.restore()
	if status, body := sam.Get("/api/v1/me"); status != 200 || !strings.Contains(body, "sam.taylor@example.org") {
		t.Errorf("/api/v1/me once the database is back = %d %s", status, body)
	}
}
