package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// The time-off page: a practitioner records their own time off, reception
// and admin anyone's. Appointments already booked inside a span stay; the
// page lists them so that reception can move them.

type timeOffPage struct {
	Layout
	Practitioners []*backdesk.Practitioner // whose time off can be chosen (the desk); empty: only one's
	Practitioner  *backdesk.Practitioner
	Location      *backdesk.Location // whose time zone the form's times are in
	Catalogue     Catalogue
	Spans         []timeOffSpan
	Form          timeOffForm
	Err           *backdesk.Error
}

// timeOffSpan is one span of time off with the appointments still booked
// inside it.
type timeOffSpan struct {
	*backdesk.TimeOff
	Booked []*backdesk.Booking
}

type timeOffForm struct{ Start, End, Reason string }

// localInput is the format of an <input type="datetime-local">.
const localInput = "2006-01-02T15:04"

// timeOffView is the whole page: whose time off, and each span with the
// appointments still booked in it.
func (s *Server) timeOffView(r *http.Request, practitioner int64) (timeOffPage, error) {
	page, err := s.timeOffSubject(r, practitioner)
	if err != nil {
		return page, err
	}
	return page, s.fillSpans(r, &page)
}

// timeOffSubject is whose time off the page is about, and the location
// whose time zone its form reads: of those whose time off the actor
// manages (their own, or everyone's for the desk), the one asked for, else
// the first.
func (s *Server) timeOffSubject(r *http.Request, practitioner int64) (timeOffPage, error) {
	ctx := r.Context()
	page := timeOffPage{Layout: s.layout(r, "Time off")}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return page, err
	}
	page.Catalogue = c
	managed, err := s.svcs.TimeOff.TimeOffPractitioners(ctx)
	if err != nil {
		return page, err
	}
	if len(managed) > 1 {
		page.Practitioners = managed
	}
	for _, p := range managed {
		if p.ID == practitioner || practitioner == 0 || len(managed) == 1 {
			page.Practitioner = p
			break
		}
	}
	if page.Practitioner == nil {
		return page, backdesk.Errorf(backdesk.CodeNotFound, "Practitioner not found.")
	}
	page.Location = homeLocation(page.Practitioner, c)
	return page, nil
}

// fillSpans reads the practitioner's coming time off, each span with the
// appointments still booked in it.
func (s *Server) fillSpans(r *http.Request, page *timeOffPage) error {
	ctx, id := r.Context(), page.Practitioner.ID
	list, err := s.svcs.TimeOff.FindTimeOff(ctx, id, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	for _, t := range list {
		booked, _, err := s.svcs.Bookings.FindBookings(ctx, backdesk.BookingFilter{PractitionerID: id, From: t.Start, To: t.End, Status: backdesk.BookingBooked})
		if err != nil {
			return err
		}
		page.Spans = append(page.Spans, timeOffSpan{TimeOff: t, Booked: booked})
	}
	return nil
}

// homeLocation is where a practitioner works first (by their hours, then
// their services), else the clinic's first location: its time zone is the
// one the form's times are read in.
func homeLocation(p *backdesk.Practitioner, c Catalogue) *backdesk.Location {
	for _, h := range p.Hours {
		if l := c.Location(h.LocationID); l != nil {
			return l
		}
	}
	for _, o := range p.Offers {
		if l := c.Location(o.LocationID); l != nil {
			return l
		}
	}
	if len(c.Locations) > 0 {
		return c.Locations[0]
	}
	return nil
}

func (s *Server) pageTimeOff(w http.ResponseWriter, r *http.Request) error {
	id, err := queryID(r, "practitioner")
	if err != nil {
		return err
	}
	page, err := s.timeOffView(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "time_off", page)
}

func (s *Server) pageTimeOffCreate(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	page, err := s.timeOffSubject(r, pf.ID("practitioner"))
	if err != nil {
		return err
	}
	f := timeOffForm{Start: strings.TrimSpace(pf.Get("start")), End: strings.TrimSpace(pf.Get("end")), Reason: pf.Get("reason")}
	zone := zoneOf(page.Location)
	t := &backdesk.TimeOff{PractitionerID: page.Practitioner.ID, Reason: f.Reason,
		Start: pf.Time("start", localInput, zone, "from must be a date and time, such as 2030-03-01T09:00"),
		End:   pf.Time("end", localInput, zone, "until must be a date and time, such as 2030-03-05T17:00")}
	if err = pf.Err(); err == nil {
		err = s.svcs.TimeOff.CreateTimeOff(r.Context(), t)
	}
	if err != nil {
		// The page again with what was typed; reading the spans also
		// refuses someone who may not see this practitioner's time off.
		if serr := s.fillSpans(r, &page); serr != nil {
			return serr
		}
		page.Form = f
		return s.rerender(w, r, err, "time_off", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	msg := "Time off added: no new appointments will be offered in it."
	booked, _, err := s.svcs.Bookings.FindBookings(r.Context(), backdesk.BookingFilter{PractitionerID: t.PractitionerID, From: t.Start, To: t.End, Status: backdesk.BookingBooked})
	if err != nil {
		return err
	}
	if n := len(booked); n > 0 {
		msg += " " + plural(n, "appointment is", "appointments are") + " still booked inside it: move or cancel them below."
	}
	s.redirect(w, r, "/time-off?practitioner="+itoa64(t.PractitionerID), msg)
	return nil
}

func (s *Server) pageTimeOffDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	back := "/time-off"
	if p := f.ID("practitioner"); p != 0 {
		back += "?practitioner=" + itoa64(p)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.svcs.TimeOff.DeleteTimeOff(r.Context(), id); err != nil {
		return err
	}
	s.redirect(w, r, back, "Time off removed: those times can be booked again.")
	return nil
}

// plural writes "1 appointment is" or "3 appointments are".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
