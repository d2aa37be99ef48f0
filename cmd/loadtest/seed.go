package main

import (
	"context"
	"fmt"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/sqlstore"
)

// loadPassword is every load patient's password.
const loadPassword = "load-test-backpain-2026"

// Where and when the load clinic works: every day, openHour to closeHour
// local time, one service per hour.
const (
	openHour, closeHour = 8, 20
	horizonDays         = 730
	loadZone            = "Europe/London"
)

// loadClinic is what the clients book.
type loadClinic struct {
	serviceID     int64
	practitioners []int64
	emails        []string // one patient per client
	zone          *time.Location
	firstDay      time.Time // local midnight of the first day booked
}

// seed makes the load clinic in the database at dbURL (migrating it first),
// as the store and `backdesk users add` would: catalogue rows written by the
// system, patient accounts with hashed passwords.
func seed(ctx context.Context, dbURL string, practitioners, patients int) (*loadClinic, error) {
	db, err := sqlstore.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	zone, err := time.LoadLocation(loadZone)
	if err != nil {
		return nil, err
	}
	l := &backdesk.Location{Name: "Load Test Back Clinic", Address: backdesk.Address{Line1: "1 Test Street", City: "Bristol", Postcode: "BS1 1AA"},
		Phone: "+44 117 496 0999", TimeZone: loadZone, Country: "GB",
		Policy: backdesk.BookingPolicy{MinNoticeMinutes: 60, HorizonDays: horizonDays, LateCancelHours: 24, SlotStepMinutes: 60}}
	open, closeAt := backdesk.ClockTime(openHour*60), backdesk.ClockTime(closeHour*60)
	for d := range 7 {
		l.Hours = append(l.Hours, backdesk.OpeningHours{Weekday: backdesk.Weekday(d), Opens: open, Closes: closeAt})
	}
	if err := db.InsertLocation(ctx, l, nil); err != nil {
		return nil, fmt.Errorf("location: %w", err)
	}
	o := &backdesk.Offering{Name: "Physiotherapy session", Discipline: backdesk.DisciplinePhysiotherapist, DurationMinutes: 45,
		BufferAfterMinutes: 15, PriceMinor: 6500, Currency: "GBP", BookableOnline: true, Active: true}
	if err := db.InsertOffering(ctx, o, nil); err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	c := &loadClinic{serviceID: o.ID, zone: zone}
	for i := range practitioners {
		p := &backdesk.Practitioner{Name: fmt.Sprintf("Load Practitioner %03d", i+1), Discipline: backdesk.DisciplinePhysiotherapist, Active: true,
			Offers: []backdesk.Offer{{ServiceID: o.ID, LocationID: l.ID}}}
		for d := range 7 {
			p.Hours = append(p.Hours, backdesk.WorkingHours{LocationID: l.ID, Weekday: backdesk.Weekday(d), Starts: open, Ends: closeAt})
		}
		if err := db.InsertPractitioner(ctx, p, nil); err != nil {
			return nil, fmt.Errorf("practitioner: %w", err)
		}
		c.practitioners = append(c.practitioners, p.ID)
	}
	users := clinic.NewUserService(db, db, time.Now)
	sys := backdesk.NewContextWithActor(ctx, backdesk.SystemActor("loadtest"))
	for i := range patients {
		email := fmt.Sprintf("load.patient%03d@example.org", i+1)
		if _, err := users.CreateUser(sys, backdesk.NewUser{Email: email, Name: fmt.Sprintf("Load Patient %03d", i+1),
			Role: backdesk.RolePatient, Password: loadPassword}); err != nil {
			return nil, fmt.Errorf("patient: %w", err)
		}
		c.emails = append(c.emails, email)
	}
	today := time.Now().In(zone)
	c.firstDay = time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, zone)
	return c, nil
}

// slotsPerDay is how many times a practitioner is bookable in a day.
const slotsPerDay = closeHour - openHour

// capacity is how many distinct free times the clinic has (the last day of
// the horizon is left out: it ends before closing time).
func (c *loadClinic) capacity() int64 {
	return int64(len(c.practitioners)) * slotsPerDay * (horizonDays - 2)
}

// slot is the k-th free time: practitioners vary fastest, then the hour,
// then the day, so that clients booking one after another spread over the
// practitioners. Distinct k never overlap.
func (c *loadClinic) slot(k int64) (practitionerID int64, start time.Time) {
	n := int64(len(c.practitioners))
	p, h, d := k%n, (k/n)%slotsPerDay, k/(n*slotsPerDay)
	day := c.firstDay
	return c.practitioners[p], time.Date(day.Year(), day.Month(), day.Day()+int(d), openHour+int(h), 0, 0, 0, c.zone)
}
