package clinic

import (
	"context"
	"fmt"
	"time"

	"backdesk"
)

// ReminderBefore is how long before an appointment its reminder goes out.
const ReminderBefore = 24 * time.Hour

// bookingMail composes a booking's emails: what happened (confirmed,
// changed, cancelled) and, for a live booking, a reminder the day before.
// They are addressed to the booking's patient as the store writes them
// (OutboxMessage.ToPatient), so a patient without an email address, or
// who has asked not to be emailed, gets none, and nothing here reads the
// patient. parts are the rows the caller has already read; it reads the
// others.
func (s *BookingService) bookingMail(ctx context.Context, kind string, b *backdesk.Booking, parts bookingParts) ([]*backdesk.OutboxMessage, error) {
	var err error
	o, pr, l := parts.offering, parts.practitioner, parts.location
	if o == nil || o.ID != b.ServiceID {
		if o, err = s.Offerings.FindOfferingByID(ctx, b.ServiceID); err != nil {
			return nil, err
		}
	}
	if pr == nil || pr.ID != b.PractitionerID {
		if pr, err = s.Practitioners.FindPractitionerByID(ctx, b.PractitionerID); err != nil {
			return nil, err
		}
	}
	if l == nil || l.ID != b.LocationID {
		if l, err = s.Locations.FindLocationByID(ctx, b.LocationID); err != nil {
			return nil, err
		}
	}
	tz, err := l.Zone()
	if err != nil {
		return nil, err
	}
	when := backdesk.LocaleFor(l.Country).When(b.Start.In(tz))
	where := fmt.Sprintf("%s, %s, %s %s", l.Name, l.Address.Line1, l.Address.City, l.Address.Postcode)
	what := fmt.Sprintf("%s with %s", o.Name, pr.Name)
	sign := fmt.Sprintf("\n\nTo change or cancel, sign in or call us on %s.\n\n%s\n", l.Phone, l.Name)
	lateNote := ""
	if l.Policy.LateCancelHours > 0 {
		lateNote = fmt.Sprintf(" Please give us at least %d hours' notice if you need to cancel.", l.Policy.LateCancelHours)
	}
	var subject, body string
	switch kind {
	case "booking_confirmation":
		subject = "Your appointment on " + when
		body = fmt.Sprintf("Your appointment is booked: %s, %s, at %s.%s", what, when, where, lateNote)
	case "booking_changed":
		subject = "Your appointment has moved to " + when
		body = fmt.Sprintf("Your appointment has moved. It is now: %s, %s, at %s.", what, when, where)
	case "booking_needs_moving":
		subject = "Your appointment on " + when + " needs a new time"
		body = fmt.Sprintf("We are sorry: your appointment (%s, %s) can no longer go ahead at that time, because %s is away. "+
			"It stays booked until you choose another time; please choose a new one here:\n%s/appointments/%d/reschedule\n\nOr call us and we will find one with you.",
			what, when, pr.Name, s.BaseURL, b.ID)
	case "booking_cancelled":
		subject = "Your appointment on " + when + " is cancelled"
		body = fmt.Sprintf("Your appointment (%s, %s) is cancelled.", what, when)
		if b.LateCancellation {
			body += " As this was less than the clinic's notice period before it, it counts as a late cancellation."
		}
	default:
		return nil, fmt.Errorf("unknown booking email %q", kind)
	}
	msgs := []*backdesk.OutboxMessage{toPatient(b.PatientID, kind, subject, body+sign)}
	if kind != "booking_cancelled" && kind != "booking_needs_moving" {
		if at := b.Start.Add(-ReminderBefore); at.After(s.Now()) {
			m := toPatient(b.PatientID, "booking_reminder", "Reminder: your appointment tomorrow, "+when,
				fmt.Sprintf("A reminder of your appointment: %s, %s, at %s.%s", what, when, where, lateNote)+sign)
			m.SendAfter = at
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}
