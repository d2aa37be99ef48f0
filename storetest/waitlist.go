package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"backdesk"
)

func testWaitlist(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	other := mustPatient(t, s, "second@example.org")
	entry := func(p *backdesk.User) *backdesk.WaitlistEntry {
		e := &backdesk.WaitlistEntry{PatientID: p.PatientID, Discipline: backdesk.DisciplinePhysiotherapist, ServiceID: f.offering.ID,
			From: backdesk.Date{Year: 2026, Month: 12, Day: 1}, To: backdesk.Date{Year: 2026, Month: 12, Day: 31},
			Weekdays: []backdesk.Weekday{1, 3}, Earliest: backdesk.MustClockTime("09:00"), Latest: backdesk.MustClockTime("13:00")}
		must(t, s.InsertWaitlistEntry(ctx, e, nil))
		return e
	}
	a, b := entry(f.patient), entry(other)
	got, err := s.FindWaitlistEntryByID(ctx, a.ID)
	must(t, err)
	if got.Status != backdesk.WaitlistWaiting || len(got.Weekdays) != 2 || got.Weekdays[1] != 3 || got.From != a.From || got.Latest != a.Latest {
		t.Errorf("entry = %+v", got)
	}
	queue, err := s.FindWaitlistEntries(ctx, 0, true)
	must(t, err)
	if len(queue) != 2 || queue[0].ID != a.ID {
		t.Errorf("queue = %v, want oldest first", queue)
	}
	bk := f.mustBook(t, s, f.physio, ten)
	offers := []*backdesk.WaitlistOffer{
		{EntryID: a.ID, PatientID: a.PatientID, ServiceID: f.offering.ID, PractitionerID: f.physio.ID, LocationID: f.location.ID, Start: ten, End: ten.Add(45 * 60e9)},
		{EntryID: b.ID, PatientID: b.PatientID, ServiceID: f.offering.ID, PractitionerID: f.physio.ID, LocationID: f.location.ID, Start: ten, End: ten.Add(45 * 60e9)},
	}
	must(t, s.InsertWaitlistOffers(ctx, offers, []*backdesk.OutboxMessage{{Kind: "waitlist_offer", To: "a@example.org", Subject: "s", Body: "b"}}, nil))
	open, err := s.FindWaitlistOffers(ctx, b.PatientID, true)
	must(t, err)
	if len(open) != 1 || open[0].Status != "open" || !open[0].Start.Equal(ten) {
		t.Fatalf("open offers = %+v", open)
	}
	must(t, s.CloseWaitlistOffer(ctx, offers[1].ID, "accepted", bk.ID, nil))
	wantCode(t, s.CloseWaitlistOffer(ctx, offers[1].ID, "declined", 0, nil), backdesk.CodeConflict)
	first, _ := s.FindWaitlistOfferByID(ctx, offers[0].ID)
	if first.Status != "taken" {
		t.Errorf("the other offer of the same time = %s, want taken", first.Status)
	}
	booked, _ := s.FindWaitlistEntryByID(ctx, b.ID)
	if booked.Status != backdesk.WaitlistBooked || booked.BookingID != bk.ID {
		t.Errorf("accepted entry = %+v", booked)
	}
	must(t, s.SetWaitlistEntryStatus(ctx, a.ID, backdesk.WaitlistCancelled, nil))
	if q, _ := s.FindWaitlistEntries(ctx, 0, true); len(q) != 0 {
		t.Errorf("waiting after accept and cancel = %d", len(q))
	}
}

// testWaitlistOnce: a patient has one waiting request for the same thing
// (weekdays in any order, given twice), however many arrive at once; and
// with a limit, at most that many waiting.
func testWaitlistOnce(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	entry := func(to int, days ...backdesk.Weekday) *backdesk.WaitlistEntry {
		return &backdesk.WaitlistEntry{PatientID: f.patient.PatientID, Discipline: backdesk.DisciplinePhysiotherapist, ServiceID: f.offering.ID,
			From: backdesk.Date{Year: 2030, Month: 1, Day: 1}, To: backdesk.Date{Year: 2030, Month: 1, Day: to}, Weekdays: days,
			Earliest: backdesk.MustClockTime("09:00"), Latest: backdesk.MustClockTime("13:00"), PatientLimit: 3}
	}
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = s.InsertWaitlistEntry(ctx, entry(10, 3, 1), nil) })
	}
	wg.Wait()
	if ok := successes(t, errs, backdesk.CodeConflict); ok != 1 {
		t.Errorf("%d of the same request stored, want 1", ok)
	}
	wantCode(t, s.InsertWaitlistEntry(ctx, entry(10, 1, 3, 1), nil), backdesk.CodeConflict)
	must(t, s.InsertWaitlistEntry(ctx, entry(11, 1), nil))
	must(t, s.InsertWaitlistEntry(ctx, entry(12, 1), nil))
	if err := s.InsertWaitlistEntry(ctx, entry(13, 1), nil); !errors.Is(err, backdesk.ErrLimitReached) {
		t.Errorf("a fourth waiting request with a limit of 3 = %v, want ErrLimitReached", err)
	}
	list, err := s.FindWaitlistEntries(ctx, f.patient.PatientID, true)
	must(t, err)
	if len(list) != 3 || len(list[0].Weekdays) != 2 || list[0].Weekdays[0] != 1 {
		t.Fatalf("waiting = %+v", list)
	}
	// Ended, a request may be made again; without a limit (reception's), a fourth.
	must(t, s.SetWaitlistEntryStatus(ctx, list[0].ID, backdesk.WaitlistCancelled, nil))
	must(t, s.InsertWaitlistEntry(ctx, entry(10, 1, 3), nil))
	e := entry(14, 1)
	e.PatientLimit = 0
	must(t, s.InsertWaitlistEntry(ctx, e, nil))
}
