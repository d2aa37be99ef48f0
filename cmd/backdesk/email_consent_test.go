package main

import (
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

			nora := app.RegisterPatient(t, "nora.no@example.org", "Nora No")
			var me struct {
				PatientID string `json:"patient_id"`
			}
			_, body := nora.Get("/api/v1/me")
			decode(t, body, &me)
			if status, body := nora.Do2("PATCH", "/api/v1/patients/"+me.PatientID, `{"consent_email":false}`); status != 200 {
				t.Fatalf("answer no to email: %d %s", status, body)
			}
			if status, body := nora.PostJSON("/api/v1/waitlist", waitlistFor(t, b.Start, 2*time.Hour)); status != 201 {
				t.Fatalf("join waitlist: %d %s", status, body)
			}
			sam.PostJSON("/api/v1/appointments/"+b.ID+"/cancel", `{}`)
			var l struct {
				Offers []struct{ ID, Status string }
			}
			_, body = nora.Get("/api/v1/waitlist")
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
