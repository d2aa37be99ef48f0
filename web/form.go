package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// rerender shows a rejected form again: 422 for invalid input, 409 for a
// conflict, with the error; any other error goes to the error page.
func (s *Server) rerender(w http.ResponseWriter, r *http.Request, err error, name string, view func(*backdesk.Error) any) error {
	var e *backdesk.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case backdesk.CodeInvalid:
		return s.render(w, r, http.StatusUnprocessableEntity, name, view(e))
	case backdesk.CodeConflict:
		return s.render(w, r, http.StatusConflict, name, view(e))
	}
	return err
}

// lines splits text into its non-blank, trimmed lines.
func lines(text string) []string {
	out := []string{}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// commaList splits "English, Polish" into its trimmed parts.
func commaList(text string) []string {
	out := []string{}
	for _, p := range strings.Split(text, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func offerKey(o backdesk.Offer) string { return fmt.Sprintf("%d:%d", o.ServiceID, o.LocationID) }

func parseOfferKey(v string) (backdesk.Offer, error) {
	a, b, ok := strings.Cut(v, ":")
	sid, err1 := strconv.ParseInt(a, 10, 64)
	lid, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return backdesk.Offer{}, backdesk.FieldError("offer", "an offer is not in the form service:location")
	}
	return backdesk.Offer{ServiceID: sid, LocationID: lid}, nil
}

func hoursField(locationID int64) string { return fmt.Sprintf("hours.%d", locationID) }

// weeklyPeriod is one line of the weekly-hours text format.
type weeklyPeriod struct {
	Weekday  backdesk.Weekday
	From, To backdesk.ClockTime
}

// parseWeekly reads lines such as "monday 09:00-17:00"; a day may have
// several lines, or several periods separated by commas on one line.
func parseWeekly(field, text string) ([]weeklyPeriod, error) {
	var out []weeklyPeriod
	for n, line := range lines(text) {
		day, rest, ok := strings.Cut(line, " ")
		wd, err := backdesk.ParseWeekday(strings.ToLower(strings.TrimSpace(day)))
		if !ok || err != nil {
			return nil, backdesk.FieldError(field, "line %d: start with a weekday, e.g. \"monday 09:00-17:00\"", n+1)
		}
		for _, span := range strings.Split(rest, ",") {
			a, b, ok := strings.Cut(strings.TrimSpace(span), "-")
			from, err1 := backdesk.ParseClockTime(strings.TrimSpace(a))
			to, err2 := backdesk.ParseClockTime(strings.TrimSpace(b))
			if !ok || err1 != nil || err2 != nil || from >= to {
				return nil, backdesk.FieldError(field, "line %d: give times as 09:00-17:00, ending after they start", n+1)
			}
			out = append(out, weeklyPeriod{wd, from, to})
		}
	}
	return out, nil
}

// formatWeekly writes periods in the text format parseWeekly reads, Monday
// first.
func formatWeekly(ps []weeklyPeriod) string {
	sort.SliceStable(ps, func(i, j int) bool {
		di, dj := (int(ps[i].Weekday)+6)%7, (int(ps[j].Weekday)+6)%7
		if di != dj {
			return di < dj
		}
		return ps[i].From < ps[j].From
	})
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %s-%s\n", p.Weekday, p.From, p.To)
	}
	return b.String()
}

// parseClosures reads lines such as "2026-12-25 to 2026-12-26 Christmas"
// or "2026-12-25 Christmas Day".
func parseClosures(field, text string) ([]backdesk.Closure, error) {
	out := []backdesk.Closure{}
	for n, line := range lines(text) {
		parts := strings.Fields(line)
		from, err := backdesk.ParseDate(parts[0])
		if err != nil {
			return nil, backdesk.FieldError(field, "line %d: start with a date, e.g. \"2026-12-25 to 2026-12-26 Christmas\"", n+1)
		}
		c := backdesk.Closure{From: from, To: from}
		rest := parts[1:]
		if len(rest) >= 2 && rest[0] == "to" {
			if c.To, err = backdesk.ParseDate(rest[1]); err != nil {
				return nil, backdesk.FieldError(field, "line %d: the date after \"to\" is not YYYY-MM-DD", n+1)
			}
			rest = rest[2:]
		}
		c.Reason = strings.Join(rest, " ")
		out = append(out, c)
	}
	return out, nil
}

func formatClosures(cs []backdesk.Closure) string {
	var b strings.Builder
	for _, c := range cs {
		if c.From == c.To {
			fmt.Fprintf(&b, "%s %s\n", c.From, c.Reason)
		} else {
			fmt.Fprintf(&b, "%s to %s %s\n", c.From, c.To, c.Reason)
		}
	}
	return b.String()
}

// parseMoney reads "65" or "65.50" into minor units.
func parseMoney(field, v string) (int64, error) {
	v = strings.TrimSpace(v)
	whole, frac, _ := strings.Cut(v, ".")
	if len(frac) > 2 {
		return 0, backdesk.FieldError(field, "give the price with at most two decimals, e.g. 65.00")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || w > 1e7 {
		return 0, backdesk.FieldError(field, "give the price as a number, e.g. 65.00")
	}
	return w*100 + f, nil
}

// formInt reads a whole number field.
func formInt(field, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, backdesk.FieldError(field, "%s must be a whole number", strings.ReplaceAll(field, "_", " "))
	}
	return n, nil
}

// form is a submitted HTML form being read. Each reading method records a
// problem with its field instead of dropping it; Err returns them all, so
// that a form shows every problem at once.
type form struct {
	url.Values
	problems map[string]string
	order    []string
}

// parseForm reads the request's form body, of at most maxBody bytes,
// refusing text that checkText refuses (web/input.go). Handlers call it
// after the route's Precheck (routes.go).
func parseForm(r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return nil, backdesk.Errorf(backdesk.CodeInvalid, "The form could not be read.")
	}
	if err := checkValues(r.PostForm); err != nil {
		return nil, err
	}
	return &form{Values: r.PostForm}, nil
}

// problem records what is wrong with field (the first problem a field has
// stands).
func (f *form) problem(field, format string, args ...any) {
	if f.problems == nil {
		f.problems = map[string]string{}
	}
	if _, ok := f.problems[field]; !ok {
		f.problems[field] = fmt.Sprintf(format, args...)
		f.order = append(f.order, field)
	}
}

// Err is nil when every field read well, else a CodeInvalid error naming
// the first field and holding all of them.
func (f *form) Err() error {
	if len(f.order) == 0 {
		return nil
	}
	first := f.order[0]
	return &backdesk.Error{Code: backdesk.CodeInvalid, Message: f.problems[first], Field: first, Fields: f.problems}
}

// ID reads an optional id: empty is 0.
func (f *form) ID(name string) int64 {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		f.problem(name, "%s must be a number such as 12", strings.ReplaceAll(name, "_", " "))
		return 0
	}
	return id
}

// Int reads a whole number field.
func (f *form) Int(name string) int {
	n, err := formInt(name, f.Get(name))
	if err != nil {
		f.problem(name, "%s", backdesk.ErrorMessage(err))
	}
	return n
}

// Time reads a time in layout (in zone loc); what a problem says is msg.
func (f *form) Time(name, layout string, loc *time.Location, msg string) time.Time {
	t, err := time.ParseInLocation(layout, strings.TrimSpace(f.Get(name)), loc)
	if err != nil {
		f.problem(name, "%s", msg)
	}
	return t
}

// Date reads a date (YYYY-MM-DD).
func (f *form) Date(name, msg string) backdesk.Date {
	d, err := backdesk.ParseDate(strings.TrimSpace(f.Get(name)))
	if err != nil {
		f.problem(name, "%s", msg)
	}
	return d
}

// Clock reads a time of day (HH:MM).
func (f *form) Clock(name, msg string) backdesk.ClockTime {
	c, err := backdesk.ParseClockTime(strings.TrimSpace(f.Get(name)))
	if err != nil {
		f.problem(name, "%s", msg)
	}
	return c
}

// Checked reads a checkbox.
func (f *form) Checked(name string) bool { return f.Get(name) != "" }

// Money reads a price into minor units.
func (f *form) Money(name string) int64 {
	v, err := parseMoney(name, f.Get(name))
	if err != nil {
		f.problem(name, "%s", backdesk.ErrorMessage(err))
	}
	return v
}
