package main

import (
	"strings"
	"testing"
	"time"

	"backdesk/mail/mailtest"

	"github.com/chromedp/chromedp"
)

// TestBrowserReceptionDesk: at 1280 pixels, a receptionist records a
// caller, is warned of the look-alike record and uses it, books from a
// free gap in the diary's day view, and marks a patient arrived; the
// practitioner sees the patient in their day with the self-assessment;
// time off over the appointment flags it in the diary and emails the
// patient (read from the test SMTP server); moving it clears the flag.
// axe-core checks every page on the way.
func TestBrowserReceptionDesk(t *testing.T) {
	box, smtpURL := mailtest.Start(t)
	app := demoAppWith(t, map[string]string{"BACKDESK_SMTP": smtpURL}, "--mail-interval", "50ms")
	setup := app.Client(t)
	setup.Login("reception@riverside.example")
	pract, svc := catalogueIDs(t, setup)
	amiraID, physio := pract["Amira Shah"], svc["Physiotherapy initial assessment"]

	// Siobhán has an account and did the self-assessment signed in; her
	// record has her mobile.
	// Her confirmation link is read from the outbox, which keeps a private
	// link only until the email is delivered: the test SMTP server holds
	// that one email back until she has used it.
	box.StallRcpt("siobhan@example.org", 1)
	siobhan := app.RegisterPatient(t, "siobhan@example.org", "Siobhán Ó Briain")
	box.Release()
	if status, body := siobhan.PostJSON("/api/v1/assessments", someAnswers); status != 201 {
		t.Fatalf("her assessment = %d %s", status, body)
	}
	_, me := siobhan.Get("/api/v1/me")
	var account struct {
		PatientID string `json:"patient_id"`
	}
	decode(t, me, &account)
	patient := account.PatientID
	if status, body := siobhan.Do2("PATCH", "/api/v1/patients/"+patient, `{"phone":"07700 900456"}`); status != 200 {
		t.Fatalf("her phone = %d %s", status, body)
	}
	// A patient already here this morning, to mark arrived.
	soon := time.Now().Add(40 * time.Minute).Truncate(5 * time.Minute)
	walkIn := bookDirect(t, app, patient, amiraID, physio, soon)

	j := newJourney(t, app, "desk")
	desk := func() { j.do(chromedp.EmulateViewport(1280, 900)) }
	desk()
	browserSignIn(t, j.ctx, app, "reception@riverside.example")
	if got := j.location(); got != "/appointments" {
		t.Errorf("reception lands on %s after signing in, want the diary", got)
	}

	// She phones; the receptionist types her name without accents.
	j.open("/patients", "patients")
	desk()
	j.fill("name", "Siobhan O Briain", "phone", "07700900456")
	if status := j.click("#add-patient", "look-alike"); status != 409 || j.count("#look-alikes") != 1 {
		t.Fatalf("recording her again = %d, without the look-alike warning", status)
	}
	desk()
	if status := j.click("#use-record-"+patient, "her-record"); status != 200 || j.location() != "/patients/"+patient {
		t.Fatalf("using her record = %d at %s", status, j.location())
	}
	desk()

	// Book from a free gap in the day view: the gap, then Confirm.
	j.click("#diary-for-patient", "diary")
	desk()
	for tries := 0; j.count(`a.free-slot[id^="free-`+amiraID+`-"]`) == 0 && tries < 14; tries++ {
		j.click("#diary-next", "diary-next-day")
		desk()
	}
	if j.count(`a.free-slot[id^="free-`+amiraID+`-"]`) == 0 {
		t.Fatal("no free time of Amira's in two weeks of the diary")
	}
	j.click(`a.free-slot[id^="free-`+amiraID+`-"]`, "review")
	desk()
	if status := j.click("#confirm-booking", "booked"); status != 200 || !strings.HasPrefix(j.location(), "/appointments/") {
		t.Fatalf("confirming = %d at %s", status, j.location())
	}
	desk()
	appt := strings.SplitN(strings.TrimPrefix(j.location(), "/appointments/"), "?", 2)[0]
	_, body := setup.Get("/api/v1/appointments/" + appt)
	var b bookingJSON
	decode(t, body, &b)
	zone := london(t)
	day := b.Start.In(zone).Format("2006-01-02")

	// Mark this morning's patient arrived on Amira's day.
	j.open("/today?practitioner="+amiraID+"&date="+soon.In(london(t)).Format("2006-01-02"), "day")
	desk()
	j.click("#mark-arrived-"+walkIn, "arrived")
	desk()
	if got := j.text("#attendance-state-" + walkIn); got != "Arrived" {
		t.Errorf("the walk-in's state = %q, want Arrived", got)
	}
	browserSignOut(t, j.ctx)

	// Amira sees Siobhán in her day, with the self-assessment.
	browserSignIn(t, j.ctx, app, "amira.shah@riverside.example")
	if got := j.location(); got != "/today" {
		t.Errorf("Amira lands on %s after signing in, want her day", got)
	}
	j.open("/today?date="+day, "amira-day")
	desk()
	if body := j.texts[len(j.texts)-1]; !strings.Contains(body, "Siobhán Ó Briain") || strings.Contains(body, "None yet") {
		t.Errorf("Amira's day does not show Siobhán with her self-assessment")
	}
	// Time off over the appointment.
	j.open("/time-off", "time-off")
	desk()
	j.do(chromedp.SetValue(chromedp.ID("start"), b.Start.In(zone).Add(-30*time.Minute).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("end"), b.Start.In(zone).Add(90*time.Minute).Format("2006-01-02T15:04")))
	j.fill("reason", "Course")
	j.click("#add-time-off", "time-off-added")
	desk()
	waitFor(t, "the email that the appointment must move", func() bool {
		for _, s := range box.Subjects() {
			if strings.HasSuffix(s, "needs a new time") {
				return true
			}
		}
		return false
	})
	browserSignOut(t, j.ctx)

	// The desk sees it flagged in the diary, and moves it.
	browserSignIn(t, j.ctx, app, "reception@riverside.example")
	j.open("/diary?date="+day, "diary-flagged")
	desk()
	if j.count(`td.to-move #appt-`+appt) != 1 {
		t.Error("the diary does not flag the appointment under the time off")
	}
	j.open("/appointments/to-move", "to-move")
	desk()
	j.click("#move-"+appt, "move")
	desk()
	if j.count("#why-move") != 1 {
		t.Error("the move page does not say why")
	}
	j.click(`a.slot`, "move-to")
	desk()
	j.click("#confirm-reschedule", "moved")
	desk()
	j.open("/appointments/to-move", "nothing-to-move")
	if j.count("#nothing-to-move") != 1 {
		t.Error("the appointment is still to move after moving it")
	}
	waitFor(t, "the email with the new time", func() bool {
		for _, s := range box.Subjects() {
			if strings.HasPrefix(s, "Your appointment has moved to") {
				return true
			}
		}
		return false
	})
}
