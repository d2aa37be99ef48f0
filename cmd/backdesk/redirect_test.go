package main

import (
	"net/url"
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
