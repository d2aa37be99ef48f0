package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"backdesk"
	"backdesk/ical"
)

const prodID = "-//backdesk//Clinic appointments//EN"

// bookingEvent describes a booking as a calendar event, in the patient's
// words: what, with whom, where, and how to change it.
func (s *Server) bookingEvent(ctx context.Context, b *backdesk.Booking) (ical.Event, *time.Location, error) {
	o, err := s.svcs.Offerings.FindOfferingByID(ctx, b.ServiceID)
	if err != nil {
		return ical.Event{}, nil, err
	}
	p, err := s.svcs.Practitioners.FindPractitionerByID(ctx, b.PractitionerID)
	if err != nil {
		return ical.Event{}, nil, err
	}
	l, err := s.svcs.Locations.FindLocationByID(ctx, b.LocationID)
	if err != nil {
		return ical.Event{}, nil, err
	}
	loc, err := l.Zone()
	if err != nil {
		return ical.Event{}, nil, err
	}
	a := l.Address
	where := strings.Join(nonEmpty(l.Name, a.Line1, a.Line2, a.City+" "+a.Postcode), ", ")
	stamp := b.CreatedAt
	seq := 0
	if b.CancelledAt != nil {
		stamp, seq = *b.CancelledAt, 1
	}
	return ical.Event{
		UID:   fmt.Sprintf("booking-%d@%s", b.ID, strings.ToLower(strings.ReplaceAll(s.cfg.ClinicName, " ", "-"))),
		Start: b.Start, End: b.End, Stamp: stamp, Sequence: seq,
		Summary:     fmt.Sprintf("%s with %s", o.Name, p.Name),
		Location:    where,
		Description: fmt.Sprintf("%s, %s.\nTo change or cancel, sign in to %s or call %s.", o.Name, p.Name, s.cfg.ClinicName, l.Phone),
		Cancelled:   b.Status == backdesk.BookingCancelled,
	}, loc, nil
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// apiBookingICS serves an appointment as an iCalendar file.
func (s *Server) apiBookingICS(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.svcs.Bookings.FindBookingByID(r.Context(), id)
	if err != nil {
		return err
	}
	ev, loc, err := s.bookingEvent(r.Context(), b)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="appointment-%d.ics"`, b.ID))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(ical.Calendar(prodID, "", loc, []ical.Event{ev}))
	return err
}
