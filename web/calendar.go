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
	// One event across reschedules: the UID is the chain's first booking,
	// and SEQUENCE counts the moves (and one more for a cancellation), so a
	// calendar moves the event rather than adding another.
	stamp := b.CreatedAt
	seq := b.Sequence
	if b.CancelledAt != nil {
		stamp, seq = *b.CancelledAt, b.Sequence+1
	}
	return ical.Event{
		UID:   fmt.Sprintf("booking-%d@%s", b.CalendarSeries(), strings.ToLower(strings.ReplaceAll(s.cfg.ClinicName, " ", "-"))),
		Start: b.Start, End: b.End, Stamp: stamp, Sequence: seq,
		Summary:     fmt.Sprintf("%s with %s", o.Name, p.Name),
		Location:    where,
		Description: fmt.Sprintf("%s, %s.\nTo change or cancel, sign in to %s or call %s.", o.Name, p.Name, s.cfg.ClinicName, l.Phone),
		Cancelled:   b.Status == backdesk.BookingCancelled,
	}, loc, nil
}

// maxMoves bounds how far a moved appointment's calendar file follows its
// moves.
const maxMoves = 50

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
	// A moved appointment's event is its new time's: the same event, moved.
	for hops := 0; b.Moved() && hops < maxMoves; hops++ {
		if b, err = s.svcs.Bookings.FindBookingByID(r.Context(), b.RescheduledTo); err != nil {
			return err
		}
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
