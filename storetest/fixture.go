package storetest

import (
	"context"
	"testing"

	"backdesk"
)

// NewLocation returns a valid location (not stored).
func NewLocation() *backdesk.Location {
	return &backdesk.Location{
		Name:     "Riverside Back Clinic",
		Address:  backdesk.Address{Line1: "12 Mill Lane", City: "Bristol", Postcode: "BS1 4DJ"},
		Phone:    "+44 117 496 0000",
		TimeZone: "Europe/London",
		Country:  "GB",
		Hours: []backdesk.OpeningHours{
			{Weekday: backdesk.Weekday(1), Opens: backdesk.MustClockTime("08:00"), Closes: backdesk.MustClockTime("19:00")},
			{Weekday: backdesk.Weekday(6), Opens: backdesk.MustClockTime("09:00"), Closes: backdesk.MustClockTime("13:00")},
		},
		Closures: []backdesk.Closure{{From: backdesk.Date{Year: 2026, Month: 12, Day: 25}, To: backdesk.Date{Year: 2026, Month: 12, Day: 26}, Reason: "Christmas"}},
	}
}

// NewOffering returns a valid service of discipline d (not stored).
func NewOffering(name string, d backdesk.Discipline) *backdesk.Offering {
	return &backdesk.Offering{Name: name, Discipline: d, DurationMinutes: 45, BufferAfterMinutes: 15,
		PriceMinor: 6500, Currency: "GBP", BookableOnline: true, Active: true}
}

// MustCreateLocation stores a valid location.
func MustCreateLocation(tb testing.TB, s backdesk.Store) *backdesk.Location {
	tb.Helper()
	l := NewLocation()
	if err := s.InsertLocation(context.Background(), l, nil); err != nil {
		tb.Fatalf("CreateLocation: %v", err)
	}
	return l
}

// MustCreateOffering stores a valid service.
func MustCreateOffering(tb testing.TB, s backdesk.Store, name string, d backdesk.Discipline) *backdesk.Offering {
	tb.Helper()
	o := NewOffering(name, d)
	if err := s.InsertOffering(context.Background(), o, nil); err != nil {
		tb.Fatalf("CreateOffering: %v", err)
	}
	return o
}

// MustCreatePractitioner stores a practitioner offering o at l.
func MustCreatePractitioner(tb testing.TB, s backdesk.Store, name string, d backdesk.Discipline, o *backdesk.Offering, l *backdesk.Location) *backdesk.Practitioner {
	tb.Helper()
	p := &backdesk.Practitioner{Name: name, Discipline: d, Active: true,
		Qualifications: []string{"BSc (Hons) Physiotherapy"}, Languages: []string{"English"},
		Offers: []backdesk.Offer{{ServiceID: o.ID, LocationID: l.ID}},
		Hours: []backdesk.WorkingHours{{LocationID: l.ID, Weekday: backdesk.Weekday(1),
			Starts: backdesk.MustClockTime("09:00"), Ends: backdesk.MustClockTime("17:00")}}}
	if err := s.InsertPractitioner(context.Background(), p, nil); err != nil {
		tb.Fatalf("CreatePractitioner: %v", err)
	}
	return p
}
