package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
)

type bookingFixture struct {
	s        backdesk.Store
	patient  *backdesk.User
	physio   *backdesk.Practitioner
	other    *backdesk.Practitioner
	offering *backdesk.Offering
	location *backdesk.Location
}

func newBookingFixture(t *testing.T, s backdesk.Store) bookingFixture {
	l := MustCreateLocation(t, s)
	o := MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	return bookingFixture{s: s, patient: mustPatient(t, s, "booker@example.org"),
		physio: MustCreatePractitioner(t, s, "P One", backdesk.DisciplinePhysiotherapist, o, l),
		other:  MustCreatePractitioner(t, s, "P Two", backdesk.DisciplinePhysiotherapist, o, l), offering: o, location: l}
}

// booking is a 45-minute appointment with a 15-minute buffer at start.
func (f bookingFixture) booking(p *backdesk.Practitioner, start time.Time) *backdesk.Booking {
	return &backdesk.Booking{PatientID: f.patient.PatientID, PractitionerID: p.ID, ServiceID: f.offering.ID, LocationID: f.location.ID,
		Start: start, End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour), CreatedBy: f.patient.ID}
}

// mustBook stores f.booking(p, start), failing the test if it cannot.
func (f bookingFixture) mustBook(t *testing.T, s backdesk.Store, p *backdesk.Practitioner, start time.Time) *backdesk.Booking {
	t.Helper()
	b := f.booking(p, start)
	_, err := s.InsertBooking(context.Background(), b, nil, nil)
	must(t, err)
	return b
}

// ten is 10:00 UTC on a Monday three to four weeks from now: always to
// come (erasure, reminders and limits treat past and future appointments
// differently), whatever day the tests run.
var ten = func() time.Time {
	d := time.Now().UTC().AddDate(0, 0, 21)
	d = time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, (8-int(d.Weekday()))%7)
}()

func testBookingOverlap(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	first := f.booking(f.physio, ten)
	created, err := s.InsertBooking(ctx, first, nil, nil)
	must(t, err)
	if !created || first.ID == 0 || first.Status != backdesk.BookingBooked {
		t.Fatalf("InsertBooking = %v %+v", created, first)
	}
	for _, tc := range []struct {
		name  string
		p     *backdesk.Practitioner
		start time.Time
		want  backdesk.Code
	}{
		{"same time", f.physio, ten, backdesk.CodeConflict},
		{"starts inside", f.physio, ten.Add(30 * time.Minute), backdesk.CodeConflict},
		{"inside the buffer", f.physio, ten.Add(50 * time.Minute), backdesk.CodeConflict},
		{"ends inside", f.physio, ten.Add(-30 * time.Minute), backdesk.CodeConflict},
		{"right after the buffer", f.physio, ten.Add(time.Hour), ""},
		{"its buffer ends as the first starts", f.physio, ten.Add(-2 * time.Hour), ""},
		{"another practitioner, same time", f.other, ten, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.InsertBooking(ctx, f.booking(tc.p, tc.start), nil, nil)
			wantCode(t, err, tc.want)
		})
	}
	// A cancelled booking's time can be booked again.
	cancelled, err := s.CancelBooking(ctx, first.ID, ten.Add(-24*time.Hour), "ill", false, nil, nil)
	must(t, err)
	if cancelled.Status != backdesk.BookingCancelled || cancelled.CancelledAt == nil || cancelled.CancelReason != "ill" {
		t.Errorf("cancelled = %+v", cancelled)
	}
	_, err = s.CancelBooking(ctx, first.ID, ten, "again", false, nil, nil)
	wantCode(t, err, backdesk.CodeConflict)
	_, err = s.InsertBooking(ctx, f.booking(f.physio, ten), nil, nil)
	must(t, err)
	_, err = s.FindBookingByID(ctx, 999999)
	wantCode(t, err, backdesk.CodeNotFound)
}

// bookingMails counts the outbox's emails, bookingAudits the audit lines
// of bookings made: what a refused booking must not add to.
func bookingMails(t *testing.T, s backdesk.Store) int {
	t.Helper()
	_, n, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
	must(t, err)
	return n
}

func bookingAudits(t *testing.T, s backdesk.Store) int {
	t.Helper()
	_, n, err := s.FindAuditEntries(AdminContext(), backdesk.AuditFilter{Action: backdesk.AuditBookingCreate})
	must(t, err)
	return n
}

// testBookingTimeOff: the store books no time that the practitioner's time
// off overlaps, the booking's buffer included, whether a new booking or a
// reschedule's, and writes nothing of a refused one; the time next to the
// time off, and another practitioner's, can be booked.
func testBookingTimeOff(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	off := &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: ten.Add(2 * time.Hour), End: ten.Add(4 * time.Hour), Reason: "Course"}
	must(t, s.InsertTimeOff(ctx, off, nil, nil))
	written := func() (mails, audits int) { return bookingMails(t, s), bookingAudits(t, s) }
	for _, tc := range []struct {
		name  string
		p     *backdesk.Practitioner
		start time.Time
		want  backdesk.Code
	}{
		{"inside", f.physio, ten.Add(2*time.Hour + 30*time.Minute), backdesk.CodeConflict},
		{"ends inside", f.physio, ten.Add(90 * time.Minute), backdesk.CodeConflict},
		{"its buffer runs into it", f.physio, ten.Add(70 * time.Minute), backdesk.CodeConflict}, // ends 11:55, its buffer until 12:10
		{"starts in its last minute", f.physio, ten.Add(4*time.Hour - time.Minute), backdesk.CodeConflict},
		{"its buffer ends as it starts", f.physio, ten.Add(time.Hour), ""},
		{"starts as it ends", f.physio, ten.Add(4 * time.Hour), ""},
		{"another practitioner", f.other, ten.Add(2 * time.Hour), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mails0, audits0 := written()
			msg := &backdesk.OutboxMessage{Kind: "booking_confirmation", To: "booker@example.org", Subject: "Booked", Body: "See you then."}
			b := f.booking(tc.p, tc.start)
			_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{msg},
				&backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: b.PatientID, Resource: "booking"})
			wantCode(t, err, tc.want)
			if tc.want == "" {
				return
			}
			if msg := backdesk.ErrorMessage(err); msg != "That time is no longer available. Please choose another." {
				t.Errorf("refusal says %q", msg)
			}
			if mails, audits := written(); mails != mails0 || audits != audits0 {
				t.Errorf("a refused booking wrote %d emails and %d audit lines", mails-mails0, audits-audits0)
			}
			list, _, err := s.FindBookings(ctx, backdesk.BookingFilter{PractitionerID: tc.p.ID, From: tc.start, To: tc.start.Add(time.Minute)})
			if err != nil || len(list) != 0 {
				t.Errorf("a refused booking was stored: %v %+v", err, list)
			}
		})
	}
	// A reschedule onto the time off leaves the booking where it was.
	a := f.mustBook(t, s, f.physio, ten.Add(6*time.Hour))
	wantCode(t, s.RescheduleBooking(ctx, a.ID, f.booking(f.physio, ten.Add(3*time.Hour)), ten.Add(-time.Hour), nil, nil), backdesk.CodeConflict)
	if old, err := s.FindBookingByID(ctx, a.ID); err != nil || old.Status != backdesk.BookingBooked {
		t.Errorf("a refused reschedule moved the booking: %v %+v", err, old)
	}
	// Once the time off is gone, its time can be booked.
	must(t, s.DeleteTimeOff(ctx, off.ID, nil))
	f.mustBook(t, s, f.physio, ten.Add(2*time.Hour))
}

// testBookingRace: 50 goroutines book the same time, with the emails and
// the audit line a real booking writes, in several rounds; in each exactly
// one succeeds and the other 49 get CodeConflict, never another error.
// (On PostgreSQL two inserts that meet in the exclusion constraint can each
// wait for the other: the one the server aborts as a deadlock is retried,
// and then finds the time taken.)
func testBookingRace(t *testing.T, s backdesk.Store) {
	f := newBookingFixture(t, s)
	const n, rounds = 50, 6
	for round := range rounds {
		at := ten.Add(time.Duration(round) * 3 * time.Hour)
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				b := f.booking(f.physio, at.Add(time.Duration(i%3)*15*time.Minute)) // overlapping, not only identical
				msgs := []*backdesk.OutboxMessage{
					{Kind: "booking_confirmation", To: "p@example.org", Subject: "Booked", Body: "See you then."},
					{Kind: "booking_reminder", To: "p@example.org", Subject: "Tomorrow", Body: "A reminder.", SendAfter: at.Add(-24 * time.Hour)},
				}
				audit := &backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: b.PatientID, Resource: "booking", Source: "192.0.2.9"}
				_, errs[i] = s.InsertBooking(context.Background(), b, msgs, audit)
			}()
		}
		close(start)
		wg.Wait()
		if ok := successes(t, errs, backdesk.CodeConflict); ok != 1 {
			t.Errorf("round %d: %d of %d overlapping bookings succeeded, want exactly 1", round, ok, n)
		}
	}
	list, total, err := s.FindBookings(context.Background(), backdesk.BookingFilter{PractitionerID: f.physio.ID})
	must(t, err)
	if total != rounds || len(list) != rounds {
		t.Errorf("%d bookings stored, want %d", total, rounds)
	}
}

func testBookingIdempotency(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	a := f.booking(f.physio, ten)
	a.IdempotencyKey = "key-1"
	created, err := s.InsertBooking(ctx, a, nil, nil)
	must(t, err)
	retry := f.booking(f.physio, ten)
	retry.IdempotencyKey = "key-1"
	created2, err := s.InsertBooking(ctx, retry, nil, nil)
	must(t, err)
	if !created || created2 || retry.ID != a.ID {
		t.Errorf("retry: created %v/%v, ids %d/%d", created, created2, a.ID, retry.ID)
	}
	// Concurrent retries of a new key: one booking, every answer names it.
	var wg sync.WaitGroup
	ids := make([]int64, 10)
	errs := make([]error, 10)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := f.booking(f.physio, ten.Add(2*time.Hour))
			b.IdempotencyKey = "key-2"
			_, errs[i] = s.InsertBooking(ctx, b, nil, nil)
			ids[i] = b.ID
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] || ids[0] == 0 {
			t.Errorf("concurrent retry %d: id %d (first %d), %v", i, ids[i], ids[0], errs[i])
		}
	}
	// The same key from another user is another request.
	u := mustPatient(t, s, "other-booker@example.org")
	b := f.booking(f.other, ten)
	b.IdempotencyKey, b.CreatedBy, b.PatientID = "key-1", u.ID, u.PatientID
	created, err = s.InsertBooking(ctx, b, nil, nil)
	must(t, err)
	if !created || b.ID == a.ID {
		t.Errorf("another user's key-1 returned %d", b.ID)
	}
}

func testBookingReschedule(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	a := f.mustBook(t, s, f.physio, ten)
	f.mustBook(t, s, f.physio, ten.Add(3*time.Hour)) // the blocker
	// Onto a taken time: nothing changes.
	wantCode(t, s.RescheduleBooking(ctx, a.ID, f.booking(f.physio, ten.Add(3*time.Hour)), ten.Add(-time.Hour), nil, nil), backdesk.CodeConflict)
	old, err := s.FindBookingByID(ctx, a.ID)
	must(t, err)
	if old.Status != backdesk.BookingBooked {
		t.Fatalf("a failed reschedule cancelled the booking: %+v", old)
	}
	// Onto an overlapping later time: the old booking no longer blocks it.
	moved := f.booking(f.physio, ten.Add(30*time.Minute))
	must(t, s.RescheduleBooking(ctx, a.ID, moved, ten.Add(-time.Hour), nil, nil))
	old, _ = s.FindBookingByID(ctx, a.ID)
	if old.Status != backdesk.BookingCancelled || moved.RescheduledFrom != a.ID || moved.ID == 0 {
		t.Errorf("after reschedule: old %+v, new %+v", old, moved)
	}
}

// testBookingDSTRoundTrip stores appointments at the edges of clock changes
// and reads back the same instants.
func testBookingDSTRoundTrip(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	for i, tc := range []struct{ zone, at string }{
		{"Europe/London", "2026-03-29T00:45:00+00:00"},
		{"Europe/London", "2026-03-29T02:00:00+01:00"},
		{"Europe/London", "2026-10-25T01:15:00+01:00"},
		{"Europe/London", "2026-10-25T01:15:00+00:00"},
		{"America/Edmonton", "2026-03-08T01:30:00-07:00"},
		{"America/Edmonton", "2026-11-01T01:30:00-06:00"},
		{"America/Edmonton", "2026-11-01T01:30:00-07:00"},
	} {
		start, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		p := f.physio
		if i%2 == 1 {
			p = f.other
		}
		b := f.booking(p, start)
		if _, err := s.InsertBooking(ctx, b, nil, nil); err != nil {
			t.Fatalf("%s: %v", tc.at, err)
		}
		got, err := s.FindBookingByID(ctx, b.ID)
		must(t, err)
		if !got.Start.Equal(start) || !got.End.Equal(start.Add(45*time.Minute)) {
			t.Errorf("%s: stored %s – %s", tc.at, got.Start, got.End)
		}
	}
}

func testBusyIntervals(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	f.mustBook(t, s, f.physio, ten)
	c := f.mustBook(t, s, f.physio, ten.Add(2*time.Hour))
	_, err := s.CancelBooking(ctx, c.ID, ten, "", false, nil, nil)
	must(t, err)
	off := &backdesk.TimeOff{PractitionerID: f.other.ID, Start: ten, End: ten.Add(48 * time.Hour), Reason: "Course"}
	must(t, s.InsertTimeOff(ctx, off, nil, nil))
	wantCode(t, s.InsertTimeOff(ctx, &backdesk.TimeOff{PractitionerID: f.other.ID, Start: ten, End: ten}, nil, nil), backdesk.CodeInvalid)
	busy, err := s.BusyIntervals(ctx, []int64{f.physio.ID, f.other.ID}, ten.Add(-time.Hour), ten.Add(24*time.Hour))
	must(t, err)
	if got := busy[f.physio.ID]; len(got) != 1 || !got[0].Start.Equal(ten) || !got[0].End.Equal(ten.Add(time.Hour)) {
		t.Errorf("physio busy = %v, want the live booking to its buffer's end", got)
	}
	if got := busy[f.other.ID]; len(got) != 1 || !got[0].End.Equal(ten.Add(48*time.Hour)) {
		t.Errorf("other busy = %v, want the time off", got)
	}
	list, err := s.FindTimeOff(ctx, f.other.ID, ten, ten.Add(time.Hour))
	must(t, err)
	if len(list) != 1 || list[0].Reason != "Course" {
		t.Errorf("FindTimeOff = %+v", list)
	}
	got, err := s.FindTimeOffByID(ctx, off.ID)
	must(t, err)
	if got.PractitionerID != f.other.ID || !got.Start.Equal(ten) || got.Reason != "Course" {
		t.Errorf("FindTimeOffByID = %+v", got)
	}
	must(t, s.DeleteTimeOff(ctx, off.ID, nil))
	wantCode(t, s.DeleteTimeOff(ctx, off.ID, nil), backdesk.CodeNotFound)
	_, err = s.FindTimeOffByID(ctx, off.ID)
	wantCode(t, err, backdesk.CodeNotFound)
}

func testFindBookingsFilter(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	for i := range 5 {
		_, err := s.InsertBooking(ctx, f.booking(f.physio, ten.Add(time.Duration(i)*24*time.Hour)), nil, nil)
		must(t, err)
	}
	list, total, err := s.FindBookings(ctx, backdesk.BookingFilter{PatientID: f.patient.PatientID, From: ten.Add(24 * time.Hour), To: ten.Add(72 * time.Hour)})
	must(t, err)
	if total != 2 || len(list) != 2 || !list[0].Start.Equal(ten.Add(24*time.Hour)) {
		t.Errorf("FindBookings window = %d: %v", total, list)
	}
	list, total, err = s.FindBookings(ctx, backdesk.BookingFilter{Page: backdesk.Page{Limit: 2, Offset: 2}})
	must(t, err)
	if total != 5 || len(list) != 2 {
		t.Errorf("page = %d of %d", len(list), total)
	}
}

// testPractitionerTreats: a practitioner treats a patient (the care
// relation that lets clinic show them the patient's records) while they
// have a live appointment together, past or coming, and not otherwise.
func testPractitionerTreats(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	treats := func(p *backdesk.Practitioner) bool {
		t.Helper()
		ok, err := s.PractitionerTreats(ctx, p.ID, f.patient.PatientID)
		must(t, err)
		return ok
	}
	if treats(f.physio) {
		t.Error("treats before any appointment")
	}
	b := f.mustBook(t, s, f.physio, ten)
	if !treats(f.physio) || treats(f.other) {
		t.Errorf("with an appointment: physio %v, other %v; want true, false", treats(f.physio), treats(f.other))
	}
	_, err := s.CancelBooking(ctx, b.ID, ten.Add(-time.Hour), "", false, nil, nil)
	must(t, err)
	if treats(f.physio) {
		t.Error("treats after the only appointment was cancelled")
	}
	if ok, err := s.PractitionerTreats(ctx, 0, f.patient.PatientID); err != nil || ok {
		t.Errorf("practitioner 0 treats = %v, %v", ok, err)
	}
}

// testBookingAllOrNothing: a booking lands with its emails and its audit
// line, and a refused one (slot taken, unknown patient) leaves no email and
// no audit line behind.
func testBookingAllOrNothing(t *testing.T, s backdesk.Store) {
	f := newBookingFixture(t, s)
	admin := AdminContext()
	mails := func() int { return bookingMails(t, s) }
	audits := func() int { return bookingAudits(t, s) }
	msgs := func() []*backdesk.OutboxMessage {
		return []*backdesk.OutboxMessage{
			{Kind: "booking_confirmation", To: "p@example.org", Subject: "Booked", Body: "See you then."},
			{Kind: "booking_reminder", To: "p@example.org", Subject: "Tomorrow", Body: "A reminder.", Sensitive: true, SendAfter: ten.Add(-24 * time.Hour)},
		}
	}
	mails0, audits0 := mails(), audits()
	b := f.booking(f.physio, ten)
	ctx := context.Background()
	line := func() *backdesk.AuditEntry {
		return &backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: b.PatientID, Resource: "booking", Source: "192.0.2.9"}
	}
	sent := msgs()
	created, err := s.InsertBooking(ctx, b, sent, line())
	must(t, err)
	if !created || b.ID == 0 {
		t.Fatalf("InsertBooking = %v, %+v", created, b)
	}
	for _, m := range sent {
		if m.BookingID != b.ID || m.Status != backdesk.OutboxPending {
			t.Errorf("email after insert = %+v, want booking %d pending", m, b.ID)
		}
	}
	if got := mails() - mails0; got != 2 {
		t.Errorf("emails written = %d, want 2", got)
	}
	if got := audits() - audits0; got != 1 {
		t.Errorf("audit lines written = %d, want 1", got)
	}
	entries, _, err := s.FindAuditEntries(admin, backdesk.AuditFilter{PatientID: b.PatientID, Action: backdesk.AuditBookingCreate})
	must(t, err)
	if len(entries) != 1 || entries[0].Source != "192.0.2.9" || entries[0].Resource != "booking" || entries[0].ResourceID != fmt.Sprint(b.ID) {
		t.Errorf("audit = %+v, want one line naming booking %d", entries, b.ID)
	}
	// A retry with the same Idempotency-Key changes nothing and writes
	// nothing: no second email, no second audit line.
	keyed := f.booking(f.other, ten.Add(4*time.Hour))
	keyed.IdempotencyKey = "all-or-nothing"
	_, err = s.InsertBooking(ctx, keyed, msgs(), line())
	must(t, err)
	mails0, audits0 = mails0+2, audits0+1
	replay := f.booking(f.other, ten.Add(4*time.Hour))
	replay.IdempotencyKey = "all-or-nothing"
	created, err = s.InsertBooking(ctx, replay, msgs(), line())
	must(t, err)
	if created || replay.ID != keyed.ID {
		t.Errorf("replay: created %v, id %d, want the first booking %d", created, replay.ID, keyed.ID)
	}

	taken := f.booking(f.physio, ten.Add(15*time.Minute))
	_, err = s.InsertBooking(ctx, taken, msgs(), line())
	wantCode(t, err, backdesk.CodeConflict)
	stranger := f.booking(f.other, ten)
	stranger.PatientID = 987654321
	_, err = s.InsertBooking(ctx, stranger, msgs(), line())
	if err == nil {
		t.Fatal("a booking for an unknown patient was stored")
	}
	if got := mails() - mails0; got != 2 {
		t.Errorf("emails after two refused bookings = %d, want still 2", got)
	}
	if got := audits() - audits0; got != 1 {
		t.Errorf("audit lines after two refused bookings = %d, want still 1", got)
	}
}

// testBookingPatientLimit: with a limit, a patient holds at most that many
// live bookings that have not started, however many are asked for at
// once; cancelled and past ones do not count, and a booking without a
// limit (reception's) is not refused.
func testBookingPatientLimit(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	soon := time.Now().UTC().Truncate(time.Hour).Add(48 * time.Hour)
	capped := func(start time.Time, limit int) *backdesk.Booking {
		b := f.booking(f.physio, start)
		b.PatientLimit = limit
		return b
	}
	past := f.booking(f.other, soon.Add(-96*time.Hour))
	_, err := s.InsertBooking(ctx, past, nil, nil)
	must(t, err)
	const n, limit = 10, 3
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.InsertBooking(ctx, capped(soon.Add(time.Duration(2*i)*time.Hour), limit), nil, nil)
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, backdesk.ErrLimitReached):
			t.Errorf("a booking past the limit = %v, want ErrLimitReached", err)
		}
	}
	if ok != limit {
		t.Errorf("%d of %d bookings made at once with a limit of %d", ok, n, limit)
	}
	// The slot check still comes first: a taken time is a conflict, not the limit.
	live, _, err := s.FindBookings(ctx, backdesk.BookingFilter{PatientID: f.patient.PatientID, Status: backdesk.BookingBooked, From: soon})
	must(t, err)
	_, err = s.InsertBooking(ctx, capped(live[0].Start, limit+5), nil, nil)
	if backdesk.ErrorCode(err) != backdesk.CodeConflict || errors.Is(err, backdesk.ErrLimitReached) {
		t.Errorf("a taken time under the limit = %v, want the slot's conflict", err)
	}
	_, err = s.InsertBooking(ctx, f.booking(f.physio, soon.Add(100*time.Hour)), nil, nil)
	must(t, err) // no limit: reception's
	_, err = s.CancelBooking(ctx, live[0].ID, time.Now(), "", false, nil, nil)
	must(t, err)
	_, err = s.InsertBooking(ctx, capped(soon.Add(200*time.Hour), limit+1), nil, nil)
	must(t, err) // 2 left of the capped + 1 uncapped = 3 < 4
	_, err = s.InsertBooking(ctx, capped(soon.Add(202*time.Hour), limit+1), nil, nil)
	if !errors.Is(err, backdesk.ErrLimitReached) {
		t.Errorf("the fifth with a limit of 4 = %v, want ErrLimitReached", err)
	}
}

// testBookingClosedRecord: the store itself refuses a booking under a
// record that was erased or merged into another (the service checks
// first, but an erasure or a merge can come between its check and the
// insert), on every path that inserts one: a new booking, one within a
// patient's limit, and the new time of a move. Nothing is written: no
// booking, no email, no audit line.
func testBookingClosedRecord(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	erased := &backdesk.Patient{Name: "Eve Rased", Email: "eve@example.org"}
	kept := &backdesk.Patient{Name: "Kay Kept", Email: "kay@example.org"}
	dup := &backdesk.Patient{Name: "Kay Kept", Email: "kay.k@example.org"}
	for _, p := range []*backdesk.Patient{erased, kept, dup} {
		must(t, s.InsertPatient(ctx, p, nil))
	}
	_, err := s.ErasePatient(ctx, erased.ID, nil)
	must(t, err)
	_, err = s.MergePatients(ctx, kept.ID, dup.ID, nil)
	must(t, err)
	mails := func(p *backdesk.Patient) []*backdesk.OutboxMessage {
		return []*backdesk.OutboxMessage{{Kind: "booking_confirmation", ToPatient: p.ID, Subject: "Booked", Greeting: "Hello ", Body: ",\n\nBooked."}}
	}
	moving := f.mustBook(t, s, f.other, ten.Add(4*time.Hour))
	mailsBefore, auditsBefore := bookingMails(t, s), bookingAudits(t, s)
	refused := func(what string, err error) {
		t.Helper()
		if backdesk.ErrorCode(err) != backdesk.CodeConflict || !strings.Contains(backdesk.ErrorMessage(err), "erased or merged") || !errors.Is(err, backdesk.ErrRecordClosed) {
			t.Errorf("%s: err = %v, want the conflict of a closed record (ErrRecordClosed)", what, err)
		}
	}
	for i, p := range []*backdesk.Patient{erased, dup} {
		start := ten.Add(time.Duration(i) * 2 * time.Hour)
		b := f.booking(f.physio, start)
		b.PatientID = p.ID
		_, err := s.InsertBooking(ctx, b, mails(p), &backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: p.ID})
		refused("a booking for "+p.Name, err)
		capped := f.booking(f.physio, start)
		capped.PatientID, capped.PatientLimit = p.ID, 4
		_, err = s.InsertBooking(ctx, capped, mails(p), &backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: p.ID})
		refused("a booking within a limit for "+p.Name, err)
		next := f.booking(f.physio, start.Add(time.Hour))
		next.PatientID = p.ID
		refused("a move onto "+p.Name+"'s record", s.RescheduleBooking(ctx, moving.ID, next, time.Now().UTC(), mails(p), nil))
		list, _, err := s.FindBookings(AdminContext(), backdesk.BookingFilter{PatientID: p.ID, Page: backdesk.Page{Limit: 10}})
		must(t, err)
		if len(list) != 0 {
			t.Errorf("%d bookings stored under %s's closed record", len(list), p.Name)
		}
	}
	if got, err := s.FindBookingByID(ctx, moving.ID); err != nil || got.Status != backdesk.BookingBooked {
		t.Errorf("the booking whose move was refused: %+v, %v; want it still booked", got, err)
	}
	if m, a := bookingMails(t, s), bookingAudits(t, s); m != mailsBefore || a != auditsBefore {
		t.Errorf("emails %d → %d, audit lines %d → %d: the refused bookings wrote something", mailsBefore, m, auditsBefore, a)
	}
	// The record kept, and any open one, still books.
	b := f.booking(f.physio, ten.Add(6*time.Hour))
	b.PatientID = kept.ID
	_, err = s.InsertBooking(ctx, b, mails(kept), nil)
	must(t, err)
}
