package main

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestNoEmailAnswerHonoured: a patient who answers "No: phone me instead"
// to "May we email you about your care?" gets no email about it, from
// any path: not the offer of a waitlist time (reception's waitlist says
// to phone them), not the confirmation and reminder of the appointment
// they then accept, and the offer itself still reaches them in the app.
func TestNoEmailAnswerHonoured(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org")
			b := bookFirstFree(t, sam, "1")

			nora := registerNoEmail(t, app, "nora.no@example.org", "Nora No")
			if status, body := nora.PostJSON("/api/v1/waitlist", waitlistFor(t, b.Start, 2*time.Hour)); status != 201 {
				t.Fatalf("join waitlist: %d %s", status, body)
			}
			sam.PostJSON("/api/v1/appointments/"+b.ID+"/cancel", `{}`)
			var l struct {
				Offers []struct{ ID, Status string }
			}
			_, body := nora.Get("/api/v1/waitlist")
			decode(t, body, &l)
			if len(l.Offers) != 1 {
				t.Fatalf("offers to Nora after the cancellation: %s", body)
			}
			reception := app.Client(t)
			reception.Login("reception@riverside.example")
			if _, page := reception.Get("/waitlist"); !strings.Contains(page, `<span class="tag warn">no email</span>`) {
				t.Error("reception's waitlist does not say that Nora must be phoned")
			}
			if status, body := nora.PostJSON("/api/v1/waitlist/offers/"+l.Offers[0].ID+"/accept", ``); status != 201 {
				t.Fatalf("accept = %d %s", status, body)
			}
			_, body = reception.Get("/api/v1/outbox?limit=1000")
			var outbox struct {
				Messages []struct{ Kind, To string }
			}
			decode(t, body, &outbox)
			kinds := map[string]bool{}
			for _, m := range outbox.Messages {
				kinds[m.Kind] = true
				// Her account's own email (confirming the address she signs
				// in with) is not about her care.
				if m.To == "nora.no@example.org" && m.Kind != "email_verification" {
					t.Errorf("a %s email to Nora, who said no", m.Kind)
				}
			}
			if !kinds["booking_cancelled"] || !kinds["email_verification"] {
				t.Errorf("Sam's cancellation or Nora's address check is missing: this test does not read the outbox: %s", body)
			}
		})
	}
}

// TestNoEmailAnswerShownToStaff: staff are told, where they act for a
// patient who answered no to email, that no email will reach them, as they
// are for one without an address: the waitlist form warns and the desk's
// confirmation says to phone them, and the referral form does not promise
// that the patient is emailed a link to book (none is sent).
func TestNoEmailAnswerShownToStaff(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			desk := app.Client(t)
			desk.Login("reception@riverside.example")
			status, _, h := desk.PostForm("/patients", url.Values{"name": {"Nora Quiet"}, "email": {"nora.quiet@example.org"}, "phone": {"01632 960 999"}})
			if status != 303 {
				t.Fatalf("recording Nora = %d", status)
			}
			nora := strings.TrimPrefix(h.Get("Location"), "/patients/")
			if status, body := desk.Do2("PATCH", "/api/v1/patients/"+nora, `{"consent_email":false}`); status != 200 {
				t.Fatalf("Nora answers no to email: %d %s", status, body)
			}
			status, body := desk.Get("/waitlist?patient=" + nora)
			if status != 200 || !strings.Contains(body, `id="no-email-warning"`) || !strings.Contains(body, "asked not to be emailed") {
				t.Errorf("the waitlist form for a patient who said no to email = %d, without the warning", status)
			}
			status, _, h = desk.PostForm("/waitlist", url.Values{"patient_id": {nora}, "discipline": {"physiotherapist"}, "from": {"2030-02-01"},
				"to": {"2030-02-28"}, "weekdays": {"tuesday"}, "earliest": {"09:00"}, "latest": {"12:00"}})
			if line := desk.StatusLine(h); status != 303 || !strings.Contains(line, "offers cannot reach them") {
				t.Errorf("adding Nora to the waitlist = %d %q, without saying that offers cannot reach her", status, line)
			}
			// Nora is booked with Amira, so that Amira treats her and may refer her.
			slot := slotsOf(t, desk, "service=1&practitioner=1&"+window(14))[0]
			if status, body := desk.PostJSON("/api/v1/appointments", `{"patient_id":"`+nora+`","service_id":"1","practitioner_id":"1","start":"`+slot.Start.Format(time.RFC3339)+`"}`); status != 201 {
				t.Fatalf("booking Nora with Amira = %d %s", status, body)
			}
			amira := app.Client(t)
			amira.Login("amira.shah@riverside.example")
			status, body = amira.Get("/referrals/new?patient=" + nora)
			if status != 200 || strings.Contains(body, "is emailed a link to book") || !strings.Contains(body, "asked not to be emailed") {
				t.Errorf("the referral form for a patient who said no to email = %d, promising an email or not saying there is none", status)
			}
		})
	}
}

// TestNoEmailAnswerShownToPatient: a patient who answered no to email is
// not promised email on their own waitlist page or when they join: they
// are told offers appear on the page, and where to change their answer.
// A patient who said nothing is still told offers are emailed.
func TestNoEmailAnswerShownToPatient(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			join := url.Values{"discipline": {"physiotherapist"}, "from": {"2030-02-01"},
				"to": {"2030-02-28"}, "weekdays": {"tuesday"}, "earliest": {"09:00"}, "latest": {"12:00"}}

			yes := app.RegisterPatient(t, "yan.yes@example.org", "Yan Yes")
			if _, page := yes.Get("/waitlist"); !strings.Contains(page, "we will email you as soon as") || strings.Contains(page, `id="no-email-note"`) {
				t.Error("a patient who takes email is not told offers are emailed")
			}

			nora := registerNoEmail(t, app, "nora.own@example.org", "Nora Own")
			status, page := nora.Get("/waitlist")
			if status != 200 || strings.Contains(page, "we will email you") || !strings.Contains(page, `id="no-email-note"`) ||
				!strings.Contains(page, `href="/account/details"`) {
				t.Errorf("Nora's waitlist page = %d, promising email or not saying how offers reach her", status)
			}
			status, _, h := nora.PostForm("/waitlist", join)
			if line := nora.StatusLine(h); status != 303 || strings.Contains(line, "We will email you") || !strings.Contains(line, "offered on this page") {
				t.Errorf("joining the waitlist = %d %q", status, line)
			}
		})
	}
}

// registerNoEmail signs up a patient who then answers no to "May we email
// you about your care?" on their own record.
func registerNoEmail(t *testing.T, app *App, email, name string) *Client {
	t.Helper()
	c := app.RegisterPatient(t, email, name)
	var me struct {
		PatientID string `json:"patient_id"`
	}
	_, body := c.Get("/api/v1/me")
	decode(t, body, &me)
	if status, body := c.Do2("PATCH", "/api/v1/patients/"+me.PatientID, `{"consent_email":false}`); status != 200 {
		t.Fatalf("%s answers no to email: %d %s", name, status, body)
	}
	return c
}
