package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestSignInStaysOnSite: a sign-in link whose next address a browser would
// read as another host ("/<TAB>/evil.example/" is "//evil.example/" to it)
// lands the person on the clinic's home page; a path on the site is kept.
func TestSignInStaysOnSite(t *testing.T) {
	app := demoApp(t)
	for _, tc := range []struct{ name, next, want string }{
		{"tab before another host", "/\t/evil.example/", "/"},
		{"backslash", "/\\evil.example/", "/"},
		{"a path on the site", "/appointments?day=2026-12-01", "/appointments?day=2026-12-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, h := app.Client(t).PostForm("/login", url.Values{"email": {"sam.taylor@example.org"}, "password": {DemoPassword}, "next": {tc.next}})
			if status != 303 || h.Get("Location") != tc.want {
				t.Errorf("POST /login with next=%q = %d → %q, want 303 → %q", tc.next, status, h.Get("Location"), tc.want)
			}
		})
	}
}

// TestStatusLineFromServerOnly: a status line in the address (?flash=)
// shows nothing; one the server left after a form shows once, on the next
// page only.
func TestStatusLineFromServerOnly(t *testing.T) {
	app := demoApp(t)
	c := app.Client(t)
	status, body := c.Get("/?flash=" + url.QueryEscape("Your account is locked, call 0800 000 000"))
	if status != 200 || strings.Contains(body, "account is locked") || strings.Contains(body, `class="flash"`) {
		t.Errorf("GET /?flash=… = %d and shows the text as a status line", status)
	}
	status, _, h := c.PostForm("/contact", url.Values{"name": {"Jo"}, "email": {"jo@example.org"}, "body": {"Hello"}})
	if status != 303 || strings.Contains(h.Get("Location"), "flash") {
		t.Fatalf("POST /contact = %d → %q", status, h.Get("Location"))
	}
	if line := c.StatusLine(h); !strings.Contains(line, "your message has reached reception") {
		t.Errorf("the page after sending shows %q", line)
	}
	if line := c.StatusLine(h); line != "" {
		t.Errorf("the status line shows again on the next visit: %q", line)
	}
}
