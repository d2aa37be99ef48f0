package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"backdesk"
)

//go:embed templates static
var embedded embed.FS

// Layout is what every page's frame needs.
type Layout struct {
	Title      string
	ClinicName string
	Actor      backdesk.Actor
	Path       string
	Here       string // path and query, for a "come back here" after sign-in
	Assets     map[string]string
	Flash      string // the status line a redirect left (flash.go), never from the URL
	NoIndex    bool   // keep the page out of search engines (private results)
	Print      bool   // the printable version: no navigation
}

// Staff reports whether the page is for someone who works at the clinic,
// to choose what it shows (what they may do is clinic's to decide).
func (l Layout) Staff() bool {
	return l.Actor.May(backdesk.PermFrontDesk) || l.Actor.May(backdesk.PermTreat)
}

func (s *Server) layout(r *http.Request, title string) Layout {
	return Layout{Title: title, ClinicName: s.cfg.ClinicName, Actor: backdesk.ActorFromContext(r.Context()),
		Path: r.URL.Path, Here: r.URL.RequestURI(), Assets: s.site().assets, Flash: flashFrom(r.Context())}
}

func (s *Server) files() fs.FS {
	if s.cfg.Dev {
		return os.DirFS(s.cfg.DevDir)
	}
	return embedded
}

// site is one build of the templates and static files. Nothing changes it
// once built, so any number of requests may read it at once; dev mode
// builds a new one and publishes it (Server.activeSite) instead.
type site struct {
	sum        [sha256.Size]byte // of the files it was built from
	err        error             // dev mode: why the build failed (render shows it)
	pages      map[string]*template.Template
	static     fs.FS
	assets     map[string]string // logical name -> hashed URL
	assetFiles map[string]string // hashed URL -> logical name
}

// site is the build to read. In dev mode it is first rebuilt from DevDir if
// a file there has changed; a request still reading the old build keeps it
// whole, and requests that rebuild together each publish a complete one.
func (s *Server) site() *site {
	cur := s.activeSite.Load()
	if !s.cfg.Dev {
		return cur
	}
	sum, err := sumFiles(s.files())
	if err == nil && sum == cur.sum {
		return cur
	}
	next, err := loadSite(s.files())
	if err != nil {
		next = &site{sum: sum, err: err} // reported until a file changes
	}
	s.activeSite.Store(next)
	return next
}

// loadSite parses one template set per page file (the layout, every partial
// and that page) and names each static file by a hash of its content. At
// start, any error stops the server.
func loadSite(files fs.FS) (*site, error) {
	sum, err := sumFiles(files)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	st := &site{sum: sum, static: static, pages: map[string]*template.Template{}, assets: map[string]string{}, assetFiles: map[string]string{}}
	err = fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		url := "/static/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		st.assets[p], st.assetFiles[url] = url, p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static files: %w", err)
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(files, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, append([]string{"templates/layout.html", p}, partials...)...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		st.pages[name] = t
	}
	return st, nil
}

// sumFiles hashes the names and contents of the files a site is built from,
// so that dev mode rebuilds only when one of them has changed.
func sumFiles(files fs.FS) ([sha256.Size]byte, error) {
	h := sha256.New()
	for _, dir := range []string{"templates", "static"} {
		err := fs.WalkDir(files, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(files, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return [sha256.Size]byte{}, err
		}
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}

// PageNames lists the page templates, for tests that render them all.
func (s *Server) PageNames() []string {
	var out []string
	for n := range s.site().pages {
		out = append(out, n)
	}
	return out
}

// render executes page name into a buffer first, so that a template error
// is a clean 500 and never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	st := s.site()
	if st.err != nil { // dev mode: a file under DevDir is broken; say which to the developer
		http.Error(w, st.err.Error(), http.StatusInternalServerError)
		return nil
	}
	t, ok := st.pages[name]
	if !ok {
		return fmt.Errorf("render: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		if name != "error" {
			return fmt.Errorf("render %s: %w", name, err)
		}
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// serveStatic serves the hashed static files with a long cache lifetime.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	st := s.site()
	logical, ok := st.assetFiles[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeFileFS(w, r, st.static, logical)
}

var funcs = template.FuncMap{
	"money": func(minor int64, currency string) string {
		sym := map[string]string{"GBP": "£", "EUR": "€", "USD": "$", "CAD": "CA$"}[currency]
		if sym == "" {
			sym = currency + " "
		}
		return fmt.Sprintf("%s%d.%02d", sym, minor/100, minor%100)
	},
	"minutes": func(m int) string {
		if m >= 60 && m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		} else if m > 60 {
			return fmt.Sprintf("%d h %d min", m/60, m%60)
		}
		return fmt.Sprintf("%d min", m)
	},
	"join":      strings.Join,
	"tokenRole": backdesk.TokenRoleLabel,
	"list":      func(v ...string) []string { return v },
	"date":      func(t time.Time) string { return t.Format("2 January 2006") },
	"weekdays": func() []backdesk.Weekday {
		return []backdesk.Weekday{1, 2, 3, 4, 5, 6, 0}
	},
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
	},
	"formValue": func(v url.Values, key string) string { return v.Get(key) },
	"formHas": func(v url.Values, key, want string) bool {
		for _, x := range v[key] {
			if x == want {
				return true
			}
		}
		return false
	},
	"checkedBool": func(v url.Values, key string) bool {
		switch strings.ToLower(v.Get(key)) {
		case "on", "true", "yes", "1":
			return true
		}
		return false
	},
	"inc": func(i int) int { return i + 1 },
	"dec": func(i int) int { return i - 1 },
	"fid": func(key string) string { return "q-" + strings.ReplaceAll(key, ".", "-") },
	"intRange": func(lo, hi *int) []int {
		var out []int
		for i := *lo; i <= *hi; i++ {
			out = append(out, i)
		}
		return out
	},
	"deref": func(p *int) int { return *p },
	"localTime": func(t time.Time, l *backdesk.Location) string {
		return inZone(t, l).Format("Monday 2 January 2006, 15:04 MST")
	},
	"clock":    func(t time.Time) string { return t.Format("15:04") },
	"inZoneOf": inZone,
	"dayName":  func(t time.Time) string { return t.Format("Monday 2 January") },
	"rfc3339":  func(t time.Time) string { return t.Format(time.RFC3339) },
	"lowerFirstWord": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToLower(s[:1]) + s[1:]
	},
	"derefS":  func(p *string) string { return *p },
	"deref64": func(p *float64) float64 { return *p },
	"score":   backdesk.FormatScore,
	"referralRows": func(c Catalogue, staff bool, list []*backdesk.Referral, empty string) referralRows {
		return referralRows{Catalogue: c, Staff: staff, Referrals: list, Empty: empty}
	},
	"contains": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
}

// referralRows is what the referral_table partial shows.
type referralRows struct {
	Catalogue Catalogue
	Staff     bool
	Referrals []*backdesk.Referral
	Empty     string // what to say when there are none
}

// inZone shows t in a location's time zone (UTC if it cannot be loaded).
func inZone(t time.Time, l *backdesk.Location) time.Time { return t.In(zoneOf(l)) }

// zoneOf is a location's time zone; UTC for none (validation refuses a zone
// that does not load, so stored locations always have theirs).
func zoneOf(l *backdesk.Location) *time.Location {
	if l == nil {
		return time.UTC
	}
	z, err := l.Zone()
	if err != nil {
		return time.UTC
	}
	return z
}
