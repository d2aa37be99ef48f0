package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk/storetest"
)

// lockedBuffer is an io.Writer safe for the server goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// App is a running `backdesk serve` for a test.
type App struct {
	URL    string
	DB     string // its database URL, when the test gave one
	Stdout *lockedBuffer
	Stderr *lockedBuffer
	stop   func() error
}

var listenRE = regexp.MustCompile(`listening on (http://\S+)`)

// MustRunMain starts run("serve", args...) with a fake environment and waits
// until it listens. Cleanup stops it and checks that it shut down cleanly.
func MustRunMain(tb testing.TB, env map[string]string, args ...string) *App {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	app := &App{Stdout: &lockedBuffer{}, Stderr: &lockedBuffer{}, DB: env["BACKDESK_DB"]}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), getenv, strings.NewReader(""), app.Stdout, app.Stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for app.URL == "" {
		select {
		case err := <-done:
			cancel()
			tb.Fatalf("serve stopped before listening: %v\nstderr: %s", err, app.Stderr)
		default:
		}
		if m := listenRE.FindStringSubmatch(app.Stdout.String()); m != nil {
			app.URL = m[1]
		} else if time.Now().After(deadline) {
			cancel()
			tb.Fatalf("serve did not start; stdout: %s", app.Stdout)
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	var once sync.Once
	var stopErr error
	app.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(20 * time.Second):
				stopErr = io.ErrNoProgress
			}
		})
		return stopErr
	}
	tb.Cleanup(func() {
		if err := app.stop(); err != nil {
			tb.Errorf("serve did not shut down cleanly: %v", err)
		}
	})
	return app
}

// demoApp runs the demo clinic on a temporary SQLite file.
func demoApp(tb testing.TB) *App { return demoAppWith(tb, nil) }

// demoAppWith runs the demo clinic with more environment and flags.
func demoAppWith(tb testing.TB, env map[string]string, args ...string) *App {
	e := map[string]string{"BACKDESK_DB": "sqlite:" + filepath.Join(tb.TempDir(), "demo.db")}
	for k, v := range env {
		e[k] = v
	}
	return MustRunMain(tb, e, append([]string{"--demo"}, args...)...)
}

// Client is an HTTP client with its own cookie jar (one browser).
type Client struct {
	*http.Client
	base string
	tb   testing.TB
}

func (a *App) Client(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: a.URL, tb: tb}
}

// Do sends a request and returns the status and body.
func (c *Client) Do(method, path, contentType, body string, header ...string) (int, string, http.Header) {
	c.tb.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *Client) Get(path string) (int, string) {
	c.tb.Helper()
	s, b, _ := c.Do("GET", path, "", "")
	return s, b
}

func (c *Client) PostJSON(path, body string) (int, string) {
	c.tb.Helper()
	s, b, _ := c.Do("POST", path, "application/json", body)
	return s, b
}

func (c *Client) PostForm(path string, v url.Values) (int, string, http.Header) {
	c.tb.Helper()
	return c.Do("POST", path, "application/x-www-form-urlencoded", v.Encode())
}

// flashRE finds a page's status line.
var flashRE = regexp.MustCompile(`<p class="flash" role="status">([^<]*)</p>`)

// StatusLine follows a redirect's Location, as a browser would, and returns
// the status line the page it lands on shows ("" for none), unescaped.
func (c *Client) StatusLine(h http.Header) string {
	c.tb.Helper()
	status, body := c.Get(h.Get("Location"))
	if status != http.StatusOK {
		c.tb.Fatalf("GET %s = %d", h.Get("Location"), status)
	}
	if m := flashRE.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// PatientPassword is the password RegisterPatient gives.
const PatientPassword = "a patient's own passphrase"

// RegisterPatient registers a patient account through the API, confirms
// its email address with the link the outbox holds, as its owner would,
// and returns a client signed in to it.
func (a *App) RegisterPatient(tb testing.TB, email, name string) *Client {
	tb.Helper()
	c := a.Client(tb)
	if status, body := c.PostJSON("/api/v1/auth/register", `{"email":"`+email+`","name":"`+name+`","password":"`+PatientPassword+`"}`); status != 202 {
		tb.Fatalf("register %s: %d %s", email, status, body)
	}
	if status, body := c.PostJSON("/api/v1/auth/verify-email", `{"token":"`+a.EmailedToken(tb, email, "email_verification", "/verify-email/")+`"}`); status != 204 {
		tb.Fatalf("confirm %s: %d %s", email, status, body)
	}
	if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+PatientPassword+`"}`); status != 200 {
		tb.Fatalf("sign in %s: %d %s", email, status, body)
	}
	return c
}

// RegisterPatientUnconfirmed registers a patient account through the API
// and signs it in, its address not yet confirmed.
func (a *App) RegisterPatientUnconfirmed(tb testing.TB, email string) *Client {
	tb.Helper()
	c := a.Client(tb)
	if status, body := c.PostJSON("/api/v1/auth/register", `{"email":"`+email+`","name":"Not Confirmed","password":"`+PatientPassword+`"}`); status != 202 {
		tb.Fatalf("register %s: %d %s", email, status, body)
	}
	if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+PatientPassword+`"}`); status != 200 {
		tb.Fatalf("sign in %s: %d %s", email, status, body)
	}
	return c
}

// EmailedToken reads, as the owner of email would, the token of the link
// to path (such as "/verify-email/") in the newest email of kind to them.
func (a *App) EmailedToken(tb testing.TB, email, kind, path string) string {
	tb.Helper()
	if a.DB == "" {
		tb.Fatal("EmailedToken needs the app's BACKDESK_DB")
	}
	var body string
	if err := storetest.RawDB(tb, a.DB).QueryRow(`SELECT body FROM outbox WHERE to_addr = $1 AND kind = $2 ORDER BY id DESC`, email, kind).Scan(&body); err != nil {
		tb.Fatalf("no %s email to %s: %v", kind, email, err)
	}
	i := strings.Index(body, path)
	if i < 0 {
		tb.Fatalf("the %s email has no %s link: %q", kind, path, body)
	}
	token, _, _ := strings.Cut(strings.Fields(body[i+len(path):])[0], "?")
	return token
}

// EmailedLink is EmailedToken's whole link: the path from path on, with
// the page it leads back to.
func (a *App) EmailedLink(tb testing.TB, email, kind, path string) string {
	tb.Helper()
	var body string
	if err := storetest.RawDB(tb, a.DB).QueryRow(`SELECT body FROM outbox WHERE to_addr = $1 AND kind = $2 ORDER BY id DESC`, email, kind).Scan(&body); err != nil {
		tb.Fatalf("no %s email to %s: %v", kind, email, err)
	}
	i := strings.Index(body, path)
	if i < 0 {
		tb.Fatalf("the %s email has no %s link: %q", kind, path, body)
	}
	return strings.Fields(body[i:])[0]
}

// Login signs the client in through the API.
func (c *Client) Login(email string) {
	c.tb.Helper()
	status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+DemoPassword+`"}`)
	if status != 200 {
		c.tb.Fatalf("login %s: %d %s", email, status, body)
	}
}

func decode(tb testing.TB, body string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("decode %q: %v", body, err)
	}
}

func TestDemoCatalogue(t *testing.T) {
	app := demoApp(t)
	c := app.Client(t)
	if !strings.Contains(app.Stdout.String(), "admin@riverside.example") || !strings.Contains(app.Stdout.String(), DemoPassword) {
		t.Errorf("demo logins not printed: %s", app.Stdout)
	}

	status, body := c.Get("/api/v1/practitioners")
	var ps struct {
		Practitioners []struct {
			Name           string   `json:"name"`
			Discipline     string   `json:"discipline"`
			Qualifications []string `json:"qualifications"`
			Registration   struct{ Body, Number string }
			WorkingHours   []any `json:"working_hours"`
		} `json:"practitioners"`
	}
	decode(t, body, &ps)
	count := map[string]int{}
	for _, p := range ps.Practitioners {
		count[p.Discipline]++
		if len(p.Qualifications) == 0 || p.Registration.Body == "" || p.Registration.Number == "" || len(p.WorkingHours) == 0 {
			t.Errorf("practitioner %s lacks credentials or hours: %+v", p.Name, p)
		}
	}
	if status != 200 || len(ps.Practitioners) < 5 || count["physiotherapist"] < 2 || count["sports_therapist"] < 1 || count["massage_therapist"] < 2 {
		t.Errorf("GET /api/v1/practitioners = %d with %v", status, count)
	}

	status, body = c.Get("/api/v1/services")
	var ss struct {
		Services []struct {
			Name            string `json:"name"`
			DurationMinutes int    `json:"duration_minutes"`
			PriceMinor      int64  `json:"price_minor"`
			Currency        string `json:"currency"`
		} `json:"services"`
	}
	decode(t, body, &ss)
	if status != 200 || len(ss.Services) < 5 {
		t.Fatalf("GET /api/v1/services = %d, %d services", status, len(ss.Services))
	}
	for _, s := range ss.Services {
		if s.DurationMinutes <= 0 || s.PriceMinor <= 0 || s.Currency != "GBP" {
			t.Errorf("service %+v lacks duration or price", s)
		}
	}

	status, body = c.Get("/api/v1/locations")
	var ls struct {
		Locations []struct {
			TimeZone string `json:"time_zone"`
			Country  string `json:"country"`
			Hours    []struct {
				Weekday string `json:"weekday"`
				Opens   string `json:"opens"`
				Closes  string `json:"closes"`
			} `json:"opening_hours"`
		} `json:"locations"`
	}
	decode(t, body, &ls)
	if status != 200 || len(ls.Locations) != 1 || ls.Locations[0].TimeZone != "Europe/London" || ls.Locations[0].Country != "GB" || len(ls.Locations[0].Hours) < 5 {
		t.Errorf("GET /api/v1/locations = %d %s", status, body)
	} else if h := ls.Locations[0].Hours[0]; h.Weekday != "monday" || h.Opens != "08:00" {
		t.Errorf("first opening hours = %+v", h)
	}
}

// badHTML finds text that was escaped twice or template leftovers.
var badHTML = regexp.MustCompile(`&amp;(amp|lt|gt|quot|#3[49]);|\{\{|\}\}|<no value>|%!`)

func TestPagesRender(t *testing.T) {
	app := demoApp(t)
	anon := app.Client(t)
	for _, path := range []string{"/", "/practitioners", "/practitioners/1", "/services", "/locations", "/login"} {
		t.Run(path, func(t *testing.T) {
			status, body := anon.Get(path)
			if status != 200 || !strings.Contains(body, "<!doctype html>") || !strings.Contains(body, "</html>") {
				t.Fatalf("GET %s = %d\n%s", path, status, body)
			}
			if m := badHTML.FindString(body); m != "" {
				t.Errorf("GET %s has %q", path, m)
			}
		})
	}
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	for _, path := range []string{"/admin", "/admin/services/new", "/admin/services/1", "/admin/practitioners/new", "/admin/practitioners/1", "/admin/locations/new", "/admin/locations/1",
		"/admin/tokens", "/admin/webhooks"} {
		t.Run(path, func(t *testing.T) {
			status, body := admin.Get(path)
			if status != 200 || !strings.Contains(body, "</html>") {
				t.Fatalf("GET %s as admin = %d\n%s", path, status, body)
			}
			if m := badHTML.FindString(body); m != "" {
				t.Errorf("GET %s has %q", path, m)
			}
		})
	}
	if status, body := anon.Get("/no/such/page"); status != 404 || !strings.Contains(body, "There is no page at this address") {
		t.Errorf("unknown page = %d", status)
	}
}

func TestErrorShape(t *testing.T) {
	app := demoApp(t)
	c := app.Client(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"unknown endpoint", "GET", "/api/v1/nothing", "", 404, "not_found", ""},
		{"missing practitioner", "GET", "/api/v1/practitioners/9999", "", 404, "not_found", ""},
		{"malformed id", "GET", "/api/v1/services/abc", "", 404, "not_found", ""},
		{"bad filter", "GET", "/api/v1/practitioners?discipline=chiropractor", "", 400, "invalid", "discipline"},
		{"write needs sign-in", "POST", "/api/v1/services", `{"name":"x"}`, 401, "unauthorized", ""},
		{"bad login", "POST", "/api/v1/auth/login", `{"email":"admin@riverside.example","password":"wrong-password-123"}`, 401, "unauthorized", ""},
		{"login unknown field", "POST", "/api/v1/auth/login", `{"email":"a","pass":"b"}`, 400, "invalid", ""},
		{"not json", "POST", "/api/v1/auth/login", `{"email":`, 400, "invalid", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := c.Do(tc.method, tc.path, "application/json", tc.body)
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			decode(t, body, &e)
			if status != tc.status || e.Error.Code != tc.code || e.Error.Message == "" || e.Error.Field != tc.field {
				t.Errorf("%s %s = %d %s, want %d %s field %q", tc.method, tc.path, status, body, tc.status, tc.code, tc.field)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type = %q", h.Get("Content-Type"))
			}
		})
	}
}

func TestAdminEditsCatalogue(t *testing.T) {
	app := demoApp(t)
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	newService := `{"name":"Pilates for back pain","discipline":"physiotherapist","duration_minutes":55,"price_minor":2000,"currency":"GBP","bookable_online":true,"active":true}`
	status, body := admin.PostJSON("/api/v1/services", newService)
	if status != 201 || !strings.Contains(body, `"name":"Pilates for back pain"`) {
		t.Fatalf("admin create service = %d %s", status, body)
	}
	var created struct {
		ID string `json:"id"`
	}
	decode(t, body, &created)
	status, body, _ = admin.Do("PATCH", "/api/v1/services/"+created.ID, "application/json", `{"price_minor":2500}`)
	if status != 200 || !strings.Contains(body, `"price_minor":2500`) {
		t.Errorf("admin update service = %d %s", status, body)
	}
	status, body = admin.PostJSON("/api/v1/services", `{"name":"Bad","discipline":"physiotherapist","duration_minutes":0,"price_minor":1,"currency":"GBP"}`)
	if status != 400 || !strings.Contains(body, `"field":"duration_minutes"`) {
		t.Errorf("invalid service = %d %s", status, body)
	}
	status, body = admin.PostJSON("/api/v1/locations", `{"name":"X","address":{"line1":"1 St","city":"Leeds"},"phone":"1","time_zone":"Europe/Atlantis","country":"GB"}`)
	if status != 400 || !strings.Contains(body, `"field":"time_zone"`) {
		t.Errorf("invalid location = %d %s", status, body)
	}

	patient := app.Client(t)
	patient.Login("sam.taylor@example.org")
	if status, body := patient.PostJSON("/api/v1/services", newService); status != 403 {
		t.Errorf("patient create service = %d %s", status, body)
	}
	reception := app.Client(t)
	reception.Login("reception@riverside.example")
	if status, body, _ := reception.Do("PATCH", "/api/v1/practitioners/1", "application/json", `{"bio":"x"}`); status != 403 {
		t.Errorf("reception update practitioner = %d %s", status, body)
	}

	// The page form: a bad value re-renders with 422 and keeps what was typed.
	form := url.Values{"name": {"Core class"}, "discipline": {"physiotherapist"}, "duration_minutes": {"ten"}, "buffer_after_minutes": {"0"},
		"price": {"12.50"}, "currency": {"GBP"}, "active": {"on"}}
	status, body, _ = admin.PostForm("/admin/services/new", form)
	if status != 422 || !strings.Contains(body, "duration minutes must be a whole number") || !strings.Contains(body, `value="Core class"`) {
		t.Errorf("bad service form = %d\n%s", status, body)
	}
	form.Set("duration_minutes", "30")
	status, _, h := admin.PostForm("/admin/services/new", form)
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/admin") {
		t.Errorf("good service form = %d, Location %q", status, h.Get("Location"))
	}
	_, body = admin.Get("/api/v1/services")
	if !strings.Contains(body, `"name":"Core class"`) || !strings.Contains(body, `"price_minor":1250`) {
		t.Errorf("service from form not stored: %s", body)
	}

	// Hours edited through the location form round-trip.
	_, edit := admin.Get("/admin/locations/1")
	if !strings.Contains(edit, "monday 08:00-20:00") || !strings.Contains(edit, "2026-12-25 to 2026-12-26 Christmas") {
		t.Errorf("location form does not show hours and closures:\n%s", edit)
	}

	// An anonymous visitor to an admin page is sent to sign in.
	anon := app.Client(t)
	status, _, h = anon.Do("GET", "/admin", "", "")
	if status != 303 || h.Get("Location") != "/login?next=%2Fadmin" {
		t.Errorf("anonymous /admin = %d → %q", status, h.Get("Location"))
	}
}

func TestCrossOriginRefused(t *testing.T) {
	app := demoApp(t)
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	body := `{"name":"Cross","discipline":"physiotherapist","duration_minutes":30,"price_minor":100,"currency":"GBP"}`
	status, resp, _ := admin.Do("POST", "/api/v1/services", "application/json", body, "Sec-Fetch-Site", "cross-site")
	if status != 403 || !strings.Contains(resp, `"code":"forbidden"`) {
		t.Errorf("cross-site POST with a valid session = %d %s", status, resp)
	}
	status, resp, _ = admin.Do("POST", "/api/v1/services", "application/json", body, "Origin", "http://evil.example")
	if status != 403 {
		t.Errorf("foreign-Origin POST = %d %s", status, resp)
	}
	status, resp, _ = admin.Do("POST", "/api/v1/services", "application/json", body, "Sec-Fetch-Site", "same-origin", "Origin", app.URL)
	if status != 201 {
		t.Errorf("same-origin POST = %d %s", status, resp)
	}
}

func TestSessionCookieAndHeaders(t *testing.T) {
	app := demoApp(t)
	c := app.Client(t)
	_, _, h := c.Do("POST", "/api/v1/auth/login", "application/json", `{"email":"admin@riverside.example","password":"`+DemoPassword+`"}`)
	cookie := h.Get("Set-Cookie")
	for _, want := range []string{"backdesk_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("Set-Cookie %q lacks %q", cookie, want)
		}
	}
	status, body := c.Get("/api/v1/me")
	if status != 200 || !strings.Contains(body, `"role":"admin"`) {
		t.Errorf("/api/v1/me = %d %s", status, body)
	}
	if status, _, _ := c.Do("POST", "/api/v1/auth/logout", "", ""); status != 204 {
		t.Errorf("logout = %d", status)
	}
	if status, _ := c.Get("/api/v1/me"); status != 401 {
		t.Errorf("/api/v1/me after logout = %d", status)
	}
	_, _, h = c.Do("GET", "/", "", "")
	for k, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie over plain http on loopback is Secure: %q", cookie)
	}
	if strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("CSP allows inline: %q", h.Get("Content-Security-Policy"))
	}
}

func TestOperations(t *testing.T) {
	app := demoAppWith(t, map[string]string{"BACKDESK_METRICS_TOKEN": "scraper-token"})
	c := app.Client(t)
	if status, body := c.Get("/healthz"); status != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %s", status, body)
	}
	if status, body := c.Get("/readyz"); status != 200 || !strings.Contains(body, "ready") {
		t.Errorf("/readyz = %d %s", status, body)
	}
	c.Get("/api/v1/practitioners")
	c.Get("/api/v1/practitioners/424242")
	status, body, _ := c.Do("GET", "/metrics", "", "", "Authorization", "Bearer scraper-token")
	for _, want := range []string{
		`backdesk_http_requests_total{method="GET",route="GET /api/v1/practitioners",status="200"} 1`,
		`backdesk_http_requests_total{method="GET",route="GET /api/v1/practitioners/{id}",status="404"} 1`,
		`backdesk_http_request_duration_seconds_count{route="GET /api/v1/practitioners"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics (%d) lacks %q:\n%s", status, want, body)
		}
	}
	if !strings.Contains(app.Stderr.String(), `msg=request`) || !strings.Contains(app.Stderr.String(), `route="GET /api/v1/practitioners"`) {
		t.Errorf("no structured access log:\n%s", app.Stderr)
	}
}

// TestMetricsAccess: /metrics is the operators': read with the bearer
// token, or from an allowed address; nobody else reads it, signed in or
// not, and with neither setting nobody does.
func TestMetricsAccess(t *testing.T) {
	t.Parallel() // its own servers and databases
	// The token, and addresses that are not this test's; then loopback.
	withToken := demoAppWith(t, map[string]string{"BACKDESK_METRICS_TOKEN": "scraper-token", "BACKDESK_METRICS_ALLOW": "10.0.0.0/8"})
	allowed := demoAppWith(t, nil, "--metrics-allow", "127.0.0.0/8, ::1")
	admin := withToken.Client(t)
	admin.Login("admin@riverside.example")
	for _, tc := range []struct {
		name   string
		c      *Client
		header []string
		want   int
	}{
		{"the token", withToken.Client(t), []string{"Authorization", "Bearer scraper-token"}, 200},
		{"no token", withToken.Client(t), nil, 401},
		{"a wrong token", withToken.Client(t), []string{"Authorization", "Bearer scraper-tokem"}, 401},
		{"another scheme", withToken.Client(t), []string{"Authorization", "Basic c2NyYXBlcjp0b2tlbg=="}, 401},
		{"an allowed address", allowed.Client(t), nil, 200},
		{"an address not allowed", withToken.Client(t), nil, 401},
		{"an allowed address with a wrong token", allowed.Client(t), []string{"Authorization", "Bearer scraper-token"}, 401},
		{"an admin's session", admin, nil, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := tc.c.Do("GET", "/metrics", "", "", tc.header...)
			if status != tc.want {
				t.Fatalf("GET /metrics = %d, want %d: %s", status, tc.want, body)
			}
			if status == 200 && !strings.Contains(body, "backdesk_uptime_seconds") {
				t.Errorf("metrics body = %s", body)
			}
			if status == 401 && (h.Get("WWW-Authenticate") == "" || !strings.Contains(body, `"code":"unauthorized"`)) {
				t.Errorf("refusal = %q %s", h.Get("WWW-Authenticate"), body)
			}
			if status != 200 && strings.Contains(body, "backdesk_http_requests_total") {
				t.Error("a refusal shows the metrics")
			}
		})
	}
}

func TestDemoSeedsOnce(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "once.db")
	env := map[string]string{"BACKDESK_DB": db}
	first := MustRunMain(t, env, "--demo")
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}
	second := MustRunMain(t, env, "--demo")
	if !strings.Contains(second.Stdout.String(), "already has a clinic") {
		t.Errorf("second --demo run: %s", second.Stdout)
	}
	_, body := second.Client(t).Get("/api/v1/locations")
	if n := strings.Count(body, `"time_zone"`); n != 1 {
		t.Errorf("%d locations after two --demo runs, want 1", n)
	}
}

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestUsersAdd(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "users.db")
	out, _, err := runCmd(t, "correct horse battery\n", "users", "add", "--db", db, "--email", "Front@Clinic.example", "--name", "Front Desk", "--role", "reception")
	if err != nil || !strings.Contains(out, "created reception account") {
		t.Fatalf("users add = %q, %v", out, err)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"duplicate email", "another long password\n", []string{"--email", "front@clinic.example", "--name", "Other", "--role", "admin"}, "An account with that email already exists."},
		{"short password", "short\n", []string{"--email", "new@clinic.example", "--name", "New", "--role", "patient"}, "password must be at least 12 characters long"},
		{"bad role", "a long enough password\n", []string{"--email", "new@clinic.example", "--name", "New", "--role", "owner"}, "role must be one of"},
		{"bad email", "a long enough password\n", []string{"--email", "not-an-email", "--name", "New", "--role", "patient"}, "email address such as"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, tc.stdin, append([]string{"users", "add", "--db", db}, tc.args...)...)
			if err == nil || err.Error() != tc.want && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("users add = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestBadConfiguration: each bad setting stops the start with one line that
// names it.
func TestBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro.db")
	if _, _, err := runCmd(t, "", "migrate", "--db", "sqlite:"+ro); err != nil {
		t.Fatal(err)
	}
	os.Chmod(ro, 0o444)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad url", []string{"serve", "--db", "mongodb://x"}, "unsupported database URL"},
		{"unreachable postgres", []string{"serve", "--db", "postgres://nobody@127.0.0.1:9/x?connect_timeout=2"}, "cannot reach PostgreSQL"},
		{"read-only file", []string{"serve", "--db", "sqlite:" + ro}, "read-only"},
		{"migrate read-only", []string{"migrate", "--db", "sqlite:" + ro}, "read-only"},
		{"bad trusted proxy", []string{"serve", "--db", "sqlite:" + filepath.Join(dir, "ok.db"), "--trusted-proxies", "10.0.0.0/8, proxy.internal"}, `"proxy.internal" is not an address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, "", append(tc.args, "--addr", "127.0.0.1:0")[:len(tc.args)]...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%v = %v, want one line with %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "m.db")
	out, _, err := runCmd(t, "", "migrate", "--db", "sqlite:"+dbFile)
	if err != nil || !strings.Contains(out, "up to date") || !strings.Contains(out, "applied 0001_init.sql") {
		t.Errorf("migrate = %q, %v", out, err)
	}
	// Run again, it applies nothing.
	out, _, err = runCmd(t, "", "migrate", "--db", "sqlite:"+dbFile)
	if err != nil || strings.Contains(out, "applied 0") || !strings.Contains(out, "0 applied now") {
		t.Errorf("migrate again = %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "", "frobnicate"); err == nil {
		t.Error("unknown command succeeded")
	}
}

// TestSecureCookieBehindTLSProxy: with an https public address, the session
// cookie is Secure even though TLS ends at a proxy in front.
func TestSecureCookieBehindTLSProxy(t *testing.T) {
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + filepath.Join(t.TempDir(), "tls.db"), "BACKDESK_BASE_URL": "https://clinic.example"}, "--demo")
	_, _, h := app.Client(t).Do("POST", "/api/v1/auth/login", "application/json", `{"email":"admin@riverside.example","password":"`+DemoPassword+`"}`)
	if c := h.Get("Set-Cookie"); !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("Set-Cookie = %q, want Secure and HttpOnly", c)
	}
	if h.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security")
	}
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
