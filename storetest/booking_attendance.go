package storetest

import (
	"context"
	"testing"
	"time"

	"backdesk"
)

// testBookingAttendance: arrived, did not attend and completed are stored
// with who and when, checked against the appointment's time and state;
// a cancelled appointment takes none.
func testBookingAttendance(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	b := f.mustBook(t, s, f.physio, ten)
	line := func() *backdesk.AuditEntry {
		return backdesk.NewAuditEntry(deskActor, backdesk.AuditBookingAttendance, 0, "booking", "")
	}
	for _, tc := range []struct {
		name   string
		status backdesk.Attendance
		at     time.Time
		want   backdesk.Code // "" for accepted
	}{
		{"arrived a day early", backdesk.AttendanceArrived, ten.Add(-24 * time.Hour), backdesk.CodeConflict},
		{"no-show before the start", backdesk.AttendanceNoShow, ten.Add(-time.Minute), backdesk.CodeConflict},
		{"no-show after the start", backdesk.AttendanceNoShow, ten.Add(10 * time.Minute), ""},
		{"completed after a no-show", backdesk.AttendanceCompleted, ten.Add(time.Hour), backdesk.CodeConflict},
		{"came late after all", backdesk.AttendanceArrived, ten.Add(15 * time.Minute), ""},
		{"no-show once arrived", backdesk.AttendanceNoShow, ten.Add(20 * time.Minute), backdesk.CodeConflict},
		{"completed", backdesk.AttendanceCompleted, ten.Add(time.Hour), ""},
		{"not a state", backdesk.Attendance("late"), ten.Add(time.Hour), backdesk.CodeInvalid},
	} {
		got, err := s.SetAttendance(ctx, b.ID, tc.status, "Rita Reception", tc.at, line())
		if tc.want != "" {
			wantCode(t, err, tc.want)
			continue
		}
		must(t, err)
		if got.Attendance != tc.status || got.AttendanceBy != deskActor.UserID || got.AttendanceByName != "Rita Reception" || got.AttendanceAt == nil || !got.AttendanceAt.Equal(tc.at) {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
	read, err := s.FindBookingByID(ctx, b.ID)
	must(t, err)
	if read.Attendance != backdesk.AttendanceCompleted || read.AttendanceByName != "Rita Reception" || !read.AttendanceAt.Equal(ten.Add(time.Hour)) {
		t.Errorf("read back %+v", read)
	}
	entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditBookingAttendance, PatientID: f.patient.PatientID})
	must(t, err)
	if len(entries) != 3 {
		t.Errorf("attendance audit lines = %d, want 3 (refusals write none)", len(entries))
	}
	other := f.mustBook(t, s, f.other, ten)
	_, err = s.CancelBooking(ctx, other.ID, ten.Add(-48*time.Hour), "r", false, nil, nil)
	must(t, err)
	_, err = s.SetAttendance(ctx, other.ID, backdesk.AttendanceArrived, "", ten, line())
	wantCode(t, err, backdesk.CodeConflict)
	_, err = s.SetAttendance(ctx, 987654, backdesk.AttendanceArrived, "", ten, line())
	wantCode(t, err, backdesk.CodeNotFound)
}

// testReminderNeverLate: a reminder still waiting when its appointment
// has started or been cancelled is dropped, never sent.
func testReminderNeverLate(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	reminder := func(b *backdesk.Booking) []*backdesk.OutboxMessage {
		return []*backdesk.OutboxMessage{{Kind: "booking_reminder", To: "booker@example.org", Subject: "Reminder", Body: "Tomorrow", SendAfter: b.Start.Add(-24 * time.Hour)}}
	}
	due := f.booking(f.physio, ten)
	_, err := s.InsertBooking(ctx, due, reminder(due), nil)
	must(t, err)
	started := f.booking(f.other, ten.Add(-48*time.Hour))
	_, err = s.InsertBooking(ctx, started, reminder(started), nil)
	must(t, err)
	claimed, err := s.ClaimOutbox(ctx, ten.Add(-2*time.Hour), time.Minute, 10, "worker")
	must(t, err)
	if len(claimed) != 1 || claimed[0].BookingID != due.ID {
		t.Errorf("claimed %d reminders, want only the one of the appointment still to come: %+v", len(claimed), claimed)
	}
	msgs, _, err := s.FindOutboxMessages(ctx, backdesk.Page{Limit: 100})
	must(t, err)
	for _, m := range msgs {
		if m.BookingID == started.ID && m.Status != backdesk.OutboxDropped {
			t.Errorf("the reminder of an appointment already over is %s, want dropped", m.Status)
		}
	}
}
