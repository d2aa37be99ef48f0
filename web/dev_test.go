package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"backdesk"
	"backdesk/mock"
	"backdesk/web"
)

// TestDevServerConcurrentRequests: with Dev set, templates and static files
// are read from the folder again while other requests render pages and
// serve the stylesheet; under -race nothing is shared that one request
// writes and another reads.
func TestDevServerConcurrentRequests(t *testing.T) {
	locations := &mock.LocationService{FindLocationsFn: func(context.Context) ([]*backdesk.Location, error) {
		return []*backdesk.Location{{ID: 1, Name: "Riverside", Phone: "0117 496 0000", TimeZone: "Europe/London", Country: "GB"}}, nil
	}}
	h, err := web.NewServer(web.Config{ClinicName: "Test clinic", Dev: true, DevDir: "."}, web.Services{Locations: locations},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Code, w.Body.String()
	}
	status, body := get("/login")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(body)
	if status != http.StatusOK || css == nil {
		t.Fatalf("GET /login = %d, without the stylesheet's address:\n%s", status, body)
	}
	var wg sync.WaitGroup
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/login", "Sign in", http.StatusOK},
		{"/register", "Create an account", http.StatusOK},
		{"/contact", "0117 496 0000", http.StatusOK},
		{"/no-such-page", "There is no page at this address.", http.StatusNotFound},
		{css[1], "body", http.StatusOK},
	} {
		for range 8 {
			wg.Go(func() {
				for range 5 {
					if status, body := get(tc.path); status != tc.status || !strings.Contains(body, tc.want) {
						t.Errorf("GET %s = %d, want %d with %q", tc.path, status, tc.status, tc.want)
						return
					}
				}
			})
		}
	}
	wg.Wait()
}

// TestDevServerReloads: in dev mode an edited template or stylesheet shows
// on the next request, a template that does not parse is reported, and the
// fixed one is served again.
func TestDevServerReloads(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"templates", "static"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(sub)); err != nil {
			t.Fatal(err)
		}
	}
	h, err := web.NewServer(web.Config{ClinicName: "Test clinic", Dev: true, DevDir: dir}, web.Services{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Code, w.Body.String()
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cssURL := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`)
	login, err := os.ReadFile("templates/pages/login.html")
	if err != nil {
		t.Fatal(err)
	}
	_, before := get("/login")

	write("templates/pages/login.html", strings.Replace(string(login), `{{define "content"}}`, `{{define "content"}}<p id="edited">Edited.</p>`, 1))
	write("static/app.css", "body { color: teal }\n")
	status, body := get("/login")
	if status != http.StatusOK || !strings.Contains(body, `<p id="edited">Edited.</p>`) {
		t.Errorf("GET /login after an edit = %d, without the edit:\n%s", status, body)
	}
	m := cssURL.FindStringSubmatch(body)
	if m == nil || m[1] == cssURL.FindStringSubmatch(before)[1] {
		t.Fatalf("stylesheet address after an edit = %v, was %v", m, cssURL.FindStringSubmatch(before))
	}
	if status, css := get(m[1]); status != http.StatusOK || css != "body { color: teal }\n" {
		t.Errorf("GET %s = %d %q", m[1], status, css)
	}

	write("templates/pages/login.html", `{{define "content"}}{{.Nope`)
	if status, body := get("/login"); status != http.StatusInternalServerError || !strings.Contains(body, "parse template login") {
		t.Errorf("GET /login with a broken template = %d %q", status, body)
	}
	write("templates/pages/login.html", string(login))
	if status, body := get("/login"); status != http.StatusOK || strings.Contains(body, "Edited.") || !strings.Contains(body, `name="next"`) {
		t.Errorf("GET /login once fixed = %d:\n%s", status, body)
	}
}
