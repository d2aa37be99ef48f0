package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdesk/mail"
	"backdesk/mail/mailtest"
	"backdesk/sqlstore"
)

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestBookingEmails: with a mail server configured, booking, moving and
// cancelling each send one email, with the time in the clinic's zone.
func TestBookingEmails(t *testing.T) {
	box, smtpURL := mailtest.Start(t)
	app := demoAppWith(t, map[string]string{"BACKDESK_SMTP": smtpURL}, "--mail-interval", "50ms")
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	slots := slotsOf(t, sam, "service=1&practitioner=1&"+window(7))
	first := slots[len(slots)-1]
	status, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, first.Start.Format(time.RFC3339)))
	var b bookingJSON
	decode(t, body, &b)
	if status != 201 {
		t.Fatalf("book = %d %s", status, body)
	}
	waitFor(t, "the confirmation", func() bool { return len(box.Subjects()) >= 1 })
	when := first.Start.In(london(t)).Format("Monday 2 January 2006 at 15:04 MST")
	if got := box.Subjects()[0]; got != "Your appointment on "+when {
		t.Errorf("confirmation subject = %q, want the local time %s", got, when)
	}
	if body := box.Bodies()[0]; !strings.Contains(body, "Physiotherapy initial assessment with Amira Shah") || !strings.Contains(body, "12 Mill Lane") {
		t.Errorf("confirmation body = %q", body)
	}
	moved := slots[len(slots)-5]
	sam.PostJSON("/api/v1/appointments/"+b.ID+"/reschedule", `{"start":"`+moved.Start.Format(time.RFC3339)+`"}`)
	waitFor(t, "the change", func() bool { return len(box.Subjects()) >= 2 })
	_, list := sam.Get("/api/v1/appointments?status=booked")
	var booked struct{ Appointments []bookingJSON }
	decode(t, list, &booked)
	if len(booked.Appointments) != 1 || booked.Appointments[0].RescheduledFrom != b.ID {
		t.Fatalf("after the move: %s", list)
	}
	sam.PostJSON("/api/v1/appointments/"+booked.Appointments[0].ID+"/cancel", `{}`)
	waitFor(t, "the cancellation", func() bool { return len(box.Subjects()) >= 3 })
	time.Sleep(200 * time.Millisecond) // a few more delivery rounds: nothing else may arrive
	subjects := box.Subjects()
	if len(subjects) != 3 || !strings.HasPrefix(subjects[1], "Your appointment has moved to") || !strings.Contains(subjects[2], "is cancelled") {
		t.Errorf("subjects = %q", subjects)
	}
	for id, n := range box.Counts() {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	// Staff see each message's state; the reminders of the moved and
	// cancelled bookings were dropped.
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	_, page := admin.Get("/admin/outbox")
	if strings.Count(page, ">sent ") < 3 || strings.Contains(page, "No mail server is configured") {
		t.Errorf("outbox page does not show the sent emails")
	}
	if time.Until(first.Start) > 24*time.Hour && !strings.Contains(page, "dropped (no longer due)") {
		t.Errorf("the first booking's reminder was not dropped")
	}
}

// TestShutdownReleasesMail: serve, stopped while an email's send hangs,
// waits for its mail workers before it closes the database: the hung send
// is abandoned after the grace and its claim given back (no attempt
// counted), so the next process sends the email at once instead of waiting
// out a lease.
func TestShutdownReleasesMail(t *testing.T) {
	smtpURL, accepted := mailtest.Silent(t)
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + dbPath, "BACKDESK_SMTP": smtpURL}, "--demo", "--mail-interval", "50ms")
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	slots := slotsOf(t, sam, "service=1&practitioner=1&"+window(7))
	if status, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slots[0].Start.Format(time.RFC3339))); status != 201 {
		t.Fatalf("book = %d %s", status, body)
	}
	select {
	case <-accepted:
	case <-time.After(10 * time.Second):
		t.Fatal("no worker connected to the mail server")
	}
	if err := app.stop(); err != nil {
		t.Fatalf("serve did not shut down cleanly: %v", err)
	}
	if log := app.Stderr.String(); strings.Contains(log, "database is closed") {
		t.Errorf("a mail worker outlived the database:\n%s", log)
	}
	db, err := sqlstore.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.ClaimOutbox(context.Background(), time.Now(), mail.Lease, 10, "next-process")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != "booking_confirmation" || got[0].Attempts != 0 {
		t.Errorf("claim after the shutdown = %+v, want the confirmation, released with no attempt counted", got)
	}
}
