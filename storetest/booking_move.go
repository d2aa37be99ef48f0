package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"backdesk"
)

// testBookingsToMove: the "needs moving" list holds the live appointments
// under their practitioner's time off, on a closed day of their location
// (its local day, across midnight UTC) or with a practitioner who takes no
// appointments, each with its reasons, earliest first; an appointment
// leaves it when moved or cancelled, or when the time off is removed; past
// and cancelled ones are never on it.
func testBookingsToMove(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	monday := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

	free := f.mustBook(t, s, f.physio, monday)
	away := f.mustBook(t, s, f.physio, monday.Add(24*time.Hour))
	cancelled := f.mustBook(t, s, f.physio, monday.Add(26*time.Hour))
	_, err := s.CancelBooking(ctx, cancelled.ID, now, "patient asked", false, nil, nil)
	must(t, err)
	past := f.mustBook(t, s, f.physio, time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	// Christmas Day (the fixture's closure, 25–26 December, London time).
	christmas := f.mustBook(t, s, f.other, time.Date(2026, 12, 25, 11, 0, 0, 0, time.UTC))
	off := &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: monday.Add(23 * time.Hour), End: monday.Add(30 * time.Hour), Reason: "Course"}
	must(t, s.InsertTimeOff(ctx, off, nil, nil))
	pastOff := &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: past.Start.Add(-time.Hour), End: past.End.Add(time.Hour)}
	must(t, s.InsertTimeOff(ctx, pastOff, nil, nil))

	type row struct {
		id      int64
		reasons []backdesk.MoveReason
		note    string
	}
	list := func(f backdesk.MoveFilter) []row {
		t.Helper()
		got, err := s.FindBookingsToMove(ctx, f)
		must(t, err)
		out := []row{}
		for _, m := range got {
			out = append(out, row{m.Booking.ID, m.Reasons, m.Note})
		}
		return out
	}
	same := func(a, b []row) bool {
		return slices.EqualFunc(a, b, func(x, y row) bool { return x.id == y.id && slices.Equal(x.reasons, y.reasons) && x.note == y.note })
	}
	want := []row{{away.ID, []backdesk.MoveReason{backdesk.MoveTimeOff}, "Course"}, {christmas.ID, []backdesk.MoveReason{backdesk.MoveClosed}, "Christmas"}}
	if got := list(backdesk.MoveFilter{From: now}); !same(got, want) {
		t.Errorf("to move = %+v, want %+v", got, want)
	}
	if got := list(backdesk.MoveFilter{From: now, PractitionerID: f.other.ID}); !same(got, want[1:]) {
		t.Errorf("P Two's to move = %+v, want %+v", got, want[1:])
	}
	if got := list(backdesk.MoveFilter{From: now, To: monday.Add(48 * time.Hour)}); !same(got, want[:1]) {
		t.Errorf("to move in the week = %+v, want %+v", got, want[:1])
	}
	_ = free

	// P Two stops taking appointments: Christmas has both reasons.
	inactive := false
	_, err = s.UpdatePractitioner(ctx, f.other.ID, backdesk.PractitionerUpdate{Active: &inactive}, nil)
	must(t, err)
	want[1].reasons = []backdesk.MoveReason{backdesk.MoveClosed, backdesk.MovePractitionerOff}
	if got := list(backdesk.MoveFilter{From: now}); !same(got, want) {
		t.Errorf("to move with P Two off = %+v, want %+v", got, want)
	}

	// Moved: the new time is free, the old one is no longer live.
	moved := f.booking(f.physio, monday.Add(48*time.Hour))
	must(t, s.RescheduleBooking(ctx, away.ID, moved, now, nil, nil))
	// Cancelled.
	_, err = s.CancelBooking(ctx, christmas.ID, now, "clinic closed", false, nil, nil)
	must(t, err)
	if got := list(backdesk.MoveFilter{From: now}); len(got) != 0 {
		t.Errorf("to move after moving and cancelling = %+v, want none", got)
	}

	// Removing the time off clears an appointment under it (the store
	// books no time under time off: time off is added over it).
	must(t, s.DeleteTimeOff(ctx, off.ID, nil))
	again := f.mustBook(t, s, f.physio, monday.Add(24*time.Hour))
	off = &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: monday.Add(23 * time.Hour), End: monday.Add(30 * time.Hour), Reason: "Course"}
	must(t, s.InsertTimeOff(ctx, off, nil, nil))
	if got := list(backdesk.MoveFilter{From: now}); len(got) != 1 || got[0].id != again.ID {
		t.Fatalf("to move = %+v, want the new appointment under the time off", got)
	}
	must(t, s.DeleteTimeOff(ctx, off.ID, nil))
	if got := list(backdesk.MoveFilter{From: now}); len(got) != 0 {
		t.Errorf("to move after the time off went = %+v, want none", got)
	}
}
