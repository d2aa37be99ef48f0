package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
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
	// Clinic is the main location, whose time zone the clinic's own
	// records (audit log, messages, outbox) are shown in.
	Clinic  *backdesk.Location
	Assets  map[string]string
	Flash   string // the status line a redirect left (flash.go), never from the URL
	NoIndex bool   // keep the page out of search engines (private results)
	Print   bool   // the printable version: no navigation
	// Locale is the clinic's words, numbers and date forms (those of its
	// main location's country).
	Locale *backdesk.Locale
}

// Staff reports whether the page is for someone who works at the clinic,
// to choose what it shows (what they may do is clinic's to decide).
func (l Layout) Staff() bool {
	return l.Actor.May(backdesk.PermFrontDesk) || l.Actor.May(backdesk.PermTreat)
}

func (s *Server) layout(r *http.Request, title string) Layout {
	main := s.mainLocation(r.Context())
	loc := backdesk.DefaultLocale()
	if main != nil {
		loc = backdesk.LocaleFor(main.Country)
	}
	return Layout{Title: title, ClinicName: s.cfg.ClinicName, Actor: backdesk.ActorFromContext(r.Context()),
		Path: r.URL.Path, Here: r.URL.RequestURI(), Assets: s.site().assets, Flash: flashFrom(r.Context()), Locale: loc, Clinic: main}
}

// mainLocation is the clinic's main location, nil before there is one.
func (s *Server) mainLocation(ctx context.Context) *backdesk.Location {
	if s.svcs.Locations != nil {
		if ls, err := s.svcs.Locations.FindLocations(ctx); err == nil {
			return backdesk.MainLocation(ls)
		}
	}
	return nil
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
	"patients":  func(v ...*backdesk.Patient) []*backdesk.Patient { return v },
	// attendanceChoices are the states the desk may move an appointment
	// to from a, as buttons (the service checks each again).
	"attendanceChoices": func(a backdesk.Attendance) []backdesk.Attendance {
		switch a {
		case backdesk.AttendanceArrived:
			return []backdesk.Attendance{backdesk.AttendanceCompleted}
		case backdesk.AttendanceNoShow:
			return []backdesk.Attendance{backdesk.AttendanceArrived}
		case backdesk.AttendanceCompleted:
			return nil
		}
		return []backdesk.Attendance{backdesk.AttendanceArrived, backdesk.AttendanceNoShow, backdesk.AttendanceCompleted}
	},
	"date": func(t time.Time) string { return t.Format("2 January 2006") },
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
	"deref":  func(p *int) int { return *p },
	"isTrue": func(p *bool) bool { return p != nil && *p },
	// localTime writes t in the location's zone, as its country writes it.
	"localTime": func(t time.Time, l *backdesk.Location) string {
		return localeOf(l).DateTime(inZone(t, l))
	},
	// localClock is localTime's time of day alone.
	"localClock": func(t time.Time, l *backdesk.Location) string { return localeOf(l).Clock(inZone(t, l)) },
	// hoursIn is a list of opening hours with the locale that writes them.
	"hoursIn": func(loc *backdesk.Locale, hours []backdesk.OpeningHours) hoursView {
		return hoursView{Locale: loc, Hours: hours}
	},
	// clockTime writes a time of day as the locale does.
	"clockTime": func(loc *backdesk.Locale, c backdesk.ClockTime) string {
		return loc.Clock(time.Date(2000, 1, 1, int(c)/60, int(c)%60, 0, 0, time.UTC))
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	// calendarDate writes a calendar date (a closure's) as the locale does.
	"calendarDate": func(loc *backdesk.Locale, d backdesk.Date) string {
		return loc.Date(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC))
	},
	// firstName is how the clinic calls a practitioner on a button: "Book
	// with Amira".
	"firstName": func(name string) string {
		if f := strings.Fields(name); len(f) > 0 {
			return f[0]
		}
		return name
	},
	// slug makes a title an id: "Red flags" is "red-flags".
	"slug": func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}), "-")
	},
	"problems": problems,
	// summary is what the form_error partial shows for either a summary
	// (problems) or the error itself: nil for no error.
	"summary": func(v any) *formErrors {
		switch x := v.(type) {
		case *formErrors:
			return x
		case *backdesk.Error:
			return problems(x)
		}
		return nil
	},
	// problem is one field's problem, for the field_error partial.
	"problem": func(err *backdesk.Error, field string) fieldProblem {
		return fieldProblem{Field: field, ID: fieldID(field), Message: fieldError(err, field)}
	},
	"fieldError": fieldError,
	"invalid":    invalid,
	"fieldID":    fieldID,
	"clock":      func(t time.Time) string { return t.Format("15:04") },
	"inZoneOf":   inZone,
	"dayName":    func(t time.Time) string { return t.Format("Monday 2 January") },
	"rfc3339":    func(t time.Time) string { return t.Format(time.RFC3339) },
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

// localeOf is the locale of a location's country.
func localeOf(l *backdesk.Location) *backdesk.Locale {
	if l == nil {
		return backdesk.DefaultLocale()
	}
	return backdesk.LocaleFor(l.Country)
}

type hoursView struct {
	Locale *backdesk.Locale
	Hours  []backdesk.OpeningHours
}

// fieldProblem is one field's problem on a form: what is wrong, and the id
// of the element to go to.
type fieldProblem struct {
	Field, ID, Message string
}

// formErrors is what a rejected form shows at its top: a summary that
// links to each field at fault, or the message of a problem that is no
// field's (a time that has just gone).
type formErrors struct {
	Message  string
	Problems []fieldProblem
}

// fieldID is the element id of a form field: its name with dots as
// dashes ("address.line1" is "address-line1").
func fieldID(field string) string { return strings.ReplaceAll(field, ".", "-") }

// problems summarises err for the top of a form: every field problem,
// those of fields (as named on the form, in its order) first, then any
// other, each linking to its field's element (fieldID). nil for no error.
func problems(err *backdesk.Error, fields ...string) *formErrors {
	if err == nil {
		return nil
	}
	fe := &formErrors{Message: err.Message}
	seen := map[string]bool{}
	add := func(f string) {
		if msg, ok := err.Fields[f]; ok && !seen[f] {
			seen[f] = true
			fe.Problems = append(fe.Problems, fieldProblem{Field: f, ID: fieldID(f), Message: msg})
		}
	}
	for _, f := range fields {
		add(f)
	}
	add(err.Field)
	rest := make([]string, 0, len(err.Fields))
	for f := range err.Fields {
		rest = append(rest, f)
	}
	sort.Strings(rest)
	for _, f := range rest {
		add(f)
	}
	if len(fe.Problems) == 0 && err.Field != "" {
		fe.Problems = []fieldProblem{{Field: err.Field, ID: fieldID(err.Field), Message: err.Message}}
	}
	return fe
}

// fieldError is the problem of one field of a rejected form, "" for none.
func fieldError(err *backdesk.Error, field string) string {
	if err == nil {
		return ""
	}
	if msg, ok := err.Fields[field]; ok {
		return msg
	}
	if err.Field == field {
		return err.Message
	}
	return ""
}

// invalid is the attributes that tie a form field to its problem
// (aria-invalid, and aria-describedby naming the problem's element,
// fieldID + "-error") and to its help texts, whose element ids follow.
func invalid(err *backdesk.Error, field string, help ...string) template.HTMLAttr {
	ids := append([]string(nil), help...)
	bad := fieldError(err, field) != ""
	if bad {
		ids = append(ids, fieldID(field)+"-error")
	}
	var b strings.Builder
	if bad {
		b.WriteString(`aria-invalid="true" `)
	}
	if len(ids) > 0 {
		b.WriteString(`aria-describedby="` + html.EscapeString(strings.Join(ids, " ")) + `"`)
	}
	return template.HTMLAttr(strings.TrimSpace(b.String()))
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
