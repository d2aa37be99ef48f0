package clinic

import (
	"context"
	"strconv"
	"time"

	"backdesk"
)

// DayService implements backdesk.DayService: a practitioner's
// appointments of one day, each with the patient's latest self-assessment,
// open referrals and whether the previous visit's note is signed.
type DayService struct {
	Bookings      backdesk.BookingStore
	Assessments   backdesk.AssessmentStore
	Referrals     backdesk.ReferralStore
	Notes         backdesk.NoteStore
	Practitioners backdesk.PractitionerStore
	Locations     backdesk.LocationStore
	Audit         backdesk.AuditWriter
	Now           func() time.Time
}

var _ backdesk.DayService = (*DayService)(nil)

// FindDay lists a practitioner's day, in the clinic's time zone.
func (s *DayService) FindDay(ctx context.Context, practitionerID int64, date backdesk.Date) (*backdesk.PractitionerDay, error) {
	a, pid, err := dayScope(ctx, practitionerID)
	if err != nil {
		return nil, err
	}
	p, err := s.Practitioners.FindPractitionerByID(ctx, pid)
	if err != nil {
		return nil, err
	}
	zone := time.UTC
	if ls, err := s.Locations.FindLocations(ctx); err != nil {
		return nil, err
	} else if l := backdesk.MainLocation(ls); l != nil {
		if zone, err = l.Zone(); err != nil {
			return nil, err
		}
	}
	if date.IsZero() {
		date = backdesk.DateOf(s.Now().In(zone))
	}
	day := &backdesk.PractitionerDay{Date: date, PractitionerID: p.ID, Appointments: []backdesk.DayPatient{}}
	list, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PractitionerID: p.ID, From: date.Start(zone), To: date.AddDays(1).Start(zone),
		Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	audited := map[int64]bool{}
	for _, b := range list {
		dp := backdesk.DayPatient{Booking: b, Referrals: []*backdesk.Referral{}}
		if as, err := s.Assessments.FindAssessmentsByPatient(ctx, b.PatientID); err != nil {
			return nil, err
		} else if len(as) > 0 {
			latest := as[0]
			dp.Assessment = &backdesk.AssessmentOutcome{ID: latest.ID, Disposition: latest.Result.Disposition, Headline: latest.Result.Headline,
				RedFlags: listOf(latest.Result.RedFlags), Massage: string(latest.Result.Massage.Suitable), CreatedAt: latest.CreatedAt}
		}
		if dp.Referrals, _, err = s.Referrals.FindReferrals(ctx, backdesk.ReferralFilter{PatientID: b.PatientID, Open: true}); err != nil {
			return nil, err
		}
		before, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PatientID: b.PatientID, PractitionerID: p.ID, To: b.Start,
			Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		if len(before) > 0 {
			dp.PreviousVisit = before[len(before)-1]
			notes, err := s.Notes.FindNotes(ctx, backdesk.NoteFilter{BookingID: dp.PreviousVisit.ID})
			switch {
			case err != nil:
				return nil, err
			case len(notes) == 0:
				dp.PreviousNote = backdesk.PreviousNoteMissing
			case notes[len(notes)-1].Status == backdesk.NoteDraft:
				dp.PreviousNote = backdesk.PreviousNoteUnsigned
			default:
				dp.PreviousNote = backdesk.PreviousNoteSigned
			}
		}
		// One audit line for each patient whose records the day shows.
		if !audited[b.PatientID] {
			audited[b.PatientID] = true
			if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditDayRead, b.PatientID, "practitioner_day", strconv.FormatInt(p.ID, 10))); err != nil {
				return nil, err
			}
		}
		day.Appointments = append(day.Appointments, dp)
	}
	return day, nil
}

// listOf makes a nil slice encode as [] rather than null.
func listOf[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
