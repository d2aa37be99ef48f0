package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"backdesk"
	"backdesk/mock"
	"backdesk/web"
)

// TestSessionLookupFails: when a signed-in person's session cannot be
// looked up (the database does not answer), they are told so with 503 and
// keep their cookie, on pages and in the API; they are not sent to sign in
// again. The operators' health check still answers.
func TestSessionLookupFails(t *testing.T) {
	users := &mock.UserService{ActorForSessionFn: func(ctx context.Context, token string) (backdesk.Actor, error) {
		return backdesk.Actor{}, errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	}}
	h, err := web.NewServer(web.Config{ClinicName: "Test clinic"}, web.Services{Users: users}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/me", 503, `"code":"unavailable"`},
		{"/appointments", 503, "You are still signed in"},
		{"/", 503, "You are still signed in"},
		{"/healthz", 200, "ok"},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: "a-live-session"})
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("GET %s = %d, want %d with %q: %.200s", tc.path, resp.StatusCode, tc.status, tc.want, b)
		}
		for _, c := range resp.Cookies() {
			if c.Name == web.SessionCookie {
				t.Errorf("GET %s touched the session cookie: %v", tc.path, c)
			}
		}
		if tc.status == 503 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s: 503 without Retry-After", tc.path)
		}
	}
}
