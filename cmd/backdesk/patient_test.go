package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestReceptionBooksACaller: someone phones without an account. Reception
// records them, finds them again, and books them from the booking page.
// The diary and the appointment name them for staff; having no email, they
// get no emails; a bad record changes nothing.
func TestReceptionBooksACaller(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			desk, amira, admin := app.Client(t), app.Client(t), app.Client(t)
			desk.Login("reception@riverside.example")
			amira.Login("amira.shah@riverside.example")
			admin.Login("admin@riverside.example")

			count := func(q string) int {
				status, body := desk.Get("/api/v1/patients?q=" + url.QueryEscape(q))
				if status != 200 {
					t.Fatalf("search %q = %d %s", q, status, body)
				}
				var r struct{ Total int }
				decode(t, body, &r)
				return r.Total
			}
			status, body, _ := desk.PostForm("/patients", url.Values{"name": {" "}, "phone": {"01632 960 555"}})
			if status != 422 || !strings.Contains(body, "Please give the name.") || !strings.Contains(body, "01632 960 555") {
				t.Errorf("a record without a name = %d, want 422 keeping what was typed", status)
			}
			if count("960 555") != 0 {
				t.Fatal("a refused record was stored")
			}
			status, _, h := desk.PostForm("/patients", url.Values{"name": {"Robin Caller"}, "phone": {"01632 960 555"}, "date_of_birth": {"1961-02-03"}})
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/patients/") {
				t.Fatalf("recording a caller = %d %q", status, h.Get("Location"))
			}
			id := strings.TrimPrefix(strings.SplitN(h.Get("Location"), "?", 2)[0], "/patients/")
			status, body = desk.Get("/patients?q=robin")
			if status != 200 || !strings.Contains(body, "/patients/"+id) || !strings.Contains(body, "/book?patient="+id) {
				t.Errorf("the search page does not find the caller: %d", status)
			}
			if count("960 555") != 1 || count("ROBIN") != 1 {
				t.Error("the API search does not find the caller")
			}

			status, body = desk.Get("/book?service=1&patient=" + id)
			if status != 200 || !strings.Contains(body, "Booking for") || !strings.Contains(body, `&amp;patient=`+id+`"`) {
				t.Fatalf("the booking page for the caller = %d", status)
			}
			slot := slotsOf(t, desk, "service=1&practitioner=1&"+window(14))[0]
			status, _, h = desk.PostForm("/book", url.Values{"service_id": {"1"}, "practitioner_id": {"1"}, "start": {slot.Start.Format(time.RFC3339)}, "patient_id": {id}})
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/appointments/") {
				t.Fatalf("booking the caller = %d %q", status, h.Get("Location"))
			}
			appt := strings.TrimPrefix(strings.SplitN(h.Get("Location"), "?", 2)[0], "/appointments/")

			for who, c := range map[string]*Client{"reception": desk, "the practitioner": amira} {
				status, body = c.Get("/appointments/" + appt)
				if status != 200 || !strings.Contains(body, "Robin Caller") || !strings.Contains(body, "01632 960 555") {
					t.Errorf("the appointment as %s does not name the patient: %d", who, status)
				}
				status, body = c.Get("/appointments")
				if status != 200 || !strings.Contains(body, `href="/patients/`+id+`">Robin Caller`) {
					t.Errorf("the diary as %s does not name the patient: %d", who, status)
				}
			}
			// Reception's diary for the day and the practitioner shows the
			// caller; another practitioner's does not.
			day := slot.Start.In(london(t)).Format("2006-01-02")
			if status, body := desk.Get("/appointments?practitioner=1&date=" + day); status != 200 || !strings.Contains(body, "Robin Caller") {
				t.Errorf("the diary of practitioner 1 on %s = %d, without the caller", day, status)
			}
			if status, body := desk.Get("/appointments?practitioner=2&date=" + day); status != 200 || strings.Contains(body, "Robin Caller") {
				t.Errorf("another practitioner's diary = %d, showing the caller", status)
			}
			status, body = desk.Get("/patients/" + id)
			if status != 200 || !strings.Contains(body, "/appointments/"+appt) || !strings.Contains(body, "/waitlist?patient="+id) {
				t.Errorf("the patient page does not list the appointment or offer the waitlist: %d", status)
			}
			// Reception puts the caller on the waitlist too.
			status, body = desk.Get("/waitlist?patient=" + id)
			if status != 200 || !strings.Contains(body, "Add Robin Caller to the waitlist") {
				t.Fatalf("the waitlist page for the caller = %d", status)
			}
			status, _, h = desk.PostForm("/waitlist", url.Values{"patient_id": {id}, "discipline": {"physiotherapist"}, "from": {"2030-03-01"}, "to": {"2030-03-31"},
				"weekdays": {"monday", "friday"}, "earliest": {"09:00"}, "latest": {"13:00"}})
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/patients/"+id) {
				t.Fatalf("adding the caller to the waitlist = %d %q", status, h.Get("Location"))
			}
			status, body = desk.Get("/api/v1/waitlist")
			if status != 200 || !strings.Contains(body, `"patient_name":"Robin Caller"`) {
				t.Errorf("the waitlist does not hold the caller: %d %s", status, body)
			}
			// No email address, so no emails; the booking itself is audited.
			status, body = admin.Get("/api/v1/outbox")
			if status != 200 || strings.Contains(body, "Robin") {
				t.Errorf("an email was queued for a patient without an address: %d", status)
			}
			status, body = admin.Get("/api/v1/audit?action=patient.create&patient=" + id)
			var audit struct {
				Entries []json.RawMessage `json:"entries"`
			}
			decode(t, body, &audit)
			if status != 200 || len(audit.Entries) != 1 {
				t.Errorf("creation audit = %d %s", status, body)
			}

			// At the caller's request an admin erases their details: without
			// ERASE typed nothing happens; after, the appointment stays, unnamed.
			if status, _, _ := admin.PostForm("/patients/"+id+"/erase", url.Values{"confirm": {"yes"}}); status != 422 || count("robin") != 1 {
				t.Errorf("an unconfirmed erasure = %d", status)
			}
			if status, _, _ := admin.PostForm("/patients/"+id+"/erase", url.Values{"confirm": {"ERASE"}}); status != 303 {
				t.Fatalf("erasure = %d", status)
			}
			if count("robin") != 0 || count("960 555") != 0 {
				t.Error("the erased caller is still found")
			}
			status, body = desk.Get("/appointments/" + appt)
			if status != 200 || strings.Contains(body, "Robin") || strings.Contains(body, "960 555") || !strings.Contains(body, "Erased patient") {
				t.Errorf("the appointment after erasure = %d, still naming the caller or gone", status)
			}
		})
	}
}
