package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWaitlist: two patients wait for a physiotherapy time; when a booking
// is cancelled, both are offered the freed time in queue order; the first to
// accept gets it through the ordinary booking path, the second is told it
// has gone and stays waiting; nobody else is booked.
func TestWaitlist(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org")
			slot := slotsOf(t, sam, "service=1&practitioner=1&"+window(7))[0]
			_, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339)))
			var b bookingJSON
			decode(t, body, &b)

			request := waitlistFor(t, slot.Start, 2*time.Hour)
			waiters := []*Client{}
			for i, email := range []string{"first.waiter@example.org", "second.waiter@example.org"} {
				c := app.RegisterPatient(t, email, fmt.Sprintf("Waiter %d", i))
				if status, body := c.PostJSON("/api/v1/waitlist", request); status != 201 {
					t.Fatalf("join waitlist: %d %s", status, body)
				}
				waiters = append(waiters, c)
			}
			if status, body := waiters[0].PostJSON("/api/v1/waitlist", `{"discipline":"physiotherapist","from":"2030-01-10","to":"2030-01-01","weekdays":["monday"],"earliest":"09:00","latest":"12:00"}`); status != 400 || !strings.Contains(body, `"field":"to"`) {
				t.Errorf("reversed dates = %d %s", status, body)
			}
			offersOf := func(c *Client) []struct{ ID, Status string } {
				_, body := c.Get("/api/v1/waitlist")
				var l struct {
					Offers []struct{ ID, Status string }
				}
				decode(t, body, &l)
				return l.Offers
			}
			if len(offersOf(waiters[0])) != 0 {
				t.Fatal("an offer before anything was freed")
			}
			sam.PostJSON("/api/v1/appointments/"+b.ID+"/cancel", `{}`)
			o1, o2 := offersOf(waiters[0]), offersOf(waiters[1])
			if len(o1) != 1 || len(o2) != 1 {
				t.Fatalf("offers after the cancellation: %v %v", o1, o2)
			}
			// The second waiter is quicker.
			status, body := waiters[1].PostJSON("/api/v1/waitlist/offers/"+o2[0].ID+"/accept", ``)
			var nb bookingJSON
			decode(t, body, &nb)
			if status != 201 || !nb.Start.Equal(slot.Start) || nb.Status != "booked" {
				t.Fatalf("accept = %d %s", status, body)
			}
			if status, body := waiters[0].PostJSON("/api/v1/waitlist/offers/"+o1[0].ID+"/accept", ``); status != 409 {
				t.Errorf("the later accept = %d %s, want 409", status, body)
			}
			_, entries := waiters[0].Get("/api/v1/waitlist")
			if !strings.Contains(entries, `"status":"waiting"`) {
				t.Errorf("the first waiter is no longer waiting: %s", entries)
			}
			_, entries = waiters[1].Get("/api/v1/waitlist")
			if !strings.Contains(entries, `"status":"booked"`) {
				t.Errorf("the accepting waiter's request = %s", entries)
			}
			reception := app.Client(t)
			reception.Login("reception@riverside.example")
			_, list := reception.Get("/api/v1/appointments?practitioner=1&status=booked")
			if n := strings.Count(list, `"status":"booked"`); n != 1 {
				t.Errorf("%d live bookings at the freed time, want 1", n)
			}
			_, outbox := reception.Get("/api/v1/outbox")
			if n := strings.Count(outbox, `"kind":"waitlist_offer"`); n != 2 {
				t.Errorf("%d offer emails, want 2", n)
			}
			// Offering the freed time is work no person asked for: the two offers
			// are audited as the system's job, naming each waiter's record, and
			// no line is attributed to an invented reception with no account.
			t.Run("audited as the system", func(t *testing.T) {
				admin := app.Client(t)
				admin.Login("admin@riverside.example")
				_, body := admin.Get("/api/v1/audit?action=waitlist.offer")
				var got struct {
					Entries []struct {
						ActorUserID string `json:"actor_user_id"`
						ActorRole   string `json:"actor_role"`
						ActorName   string `json:"actor_name"`
						PatientID   string `json:"patient_id"`
						ResourceID  string `json:"resource_id"`
					}
				}
				decode(t, body, &got)
				if len(got.Entries) != 2 {
					t.Fatalf("waitlist.offer lines = %d, want 2: %s", len(got.Entries), body)
				}
				for _, e := range got.Entries {
					if e.ActorRole != "system" || e.ActorName != "waitlist" || e.ActorUserID != "" || e.PatientID == "" || e.ResourceID == "" {
						t.Errorf("offer audit line = %+v, want the system's waitlist job naming a patient and an offer", e)
					}
				}
				_, all := admin.Get("/api/v1/audit?limit=1000")
				var every struct {
					Entries []struct {
						ActorUserID string `json:"actor_user_id"`
						ActorRole   string `json:"actor_role"`
					}
				}
				decode(t, all, &every)
				for _, e := range every.Entries {
					if e.ActorRole == "reception" && e.ActorUserID == "" {
						t.Errorf("an audit line by a reception with no account: %+v", e)
					}
				}
			})
			// Reception's waitlist page names who is waiting.
			if status, page := reception.Get("/waitlist"); status != 200 || !strings.Contains(page, ">Waiter 0</a>") {
				t.Errorf("reception's waitlist page = %d, without the waiting patient's name", status)
			}
		})
	}
}

// TestAcceptOfferAtOnce: a patient taps "accept" four times at once: one
// booking is made; the request that closes the offer is answered with it,
// the others that the offer is already accepted; none is told that the
// time has been taken.
func TestAcceptOfferAtOnce(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org")
			slot := slotsOf(t, sam, "service=1&practitioner=1&"+window(7))[0]
			_, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339)))
			var b bookingJSON
			decode(t, body, &b)
			waiter := app.RegisterPatient(t, "quick.tapper@example.org", "Quick Tapper")
			// Two requests that both suit the time: one offer all the same.
			for _, hours := range []time.Duration{2, 3} {
				if status, body := waiter.PostJSON("/api/v1/waitlist", waitlistFor(t, slot.Start, hours*time.Hour)); status != 201 {
					t.Fatalf("join waitlist: %d %s", status, body)
				}
			}
			sam.PostJSON("/api/v1/appointments/"+b.ID+"/cancel", `{}`)
			_, list := waiter.Get("/api/v1/waitlist")
			var l struct{ Offers []struct{ ID string } }
			decode(t, list, &l)
			if len(l.Offers) != 1 {
				t.Fatalf("offers = %s, want one for the patient, however many of their requests the time suits", list)
			}
			const n = 4
			statuses, answers := make([]int, n), make([]string, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					statuses[i], answers[i] = waiter.PostJSON("/api/v1/waitlist/offers/"+l.Offers[0].ID+"/accept", ``)
				})
			}
			close(start)
			wg.Wait()
			booked := 0
			for i := range n {
				switch {
				case statuses[i] == 201 && strings.Contains(answers[i], `"status":"booked"`):
					booked++
				case statuses[i] == 409 && strings.Contains(answers[i], "already accepted"):
				default:
					t.Errorf("accept %d = %d %s", i, statuses[i], answers[i])
				}
				if strings.Contains(answers[i], "taken") {
					t.Errorf("accept %d was told the time was taken: %s", i, answers[i])
				}
			}
			if booked != 1 {
				t.Errorf("%d accepts answered with the booking, want 1: %v", booked, statuses)
			}
			_, mine := waiter.Get("/api/v1/appointments?status=booked")
			var m struct{ Total int }
			decode(t, mine, &m)
			if m.Total != 1 {
				t.Errorf("the patient has %d bookings, want 1", m.Total)
			}
			if _, entries := waiter.Get("/api/v1/waitlist"); !strings.Contains(entries, `"status":"booked"`) {
				t.Errorf("the request after accepting = %s", entries)
			}
		})
	}
}

// waitlistFor is a request to wait for a physiotherapy time on the day of
// start, from its time of day for the given span.
func waitlistFor(t *testing.T, start time.Time, span time.Duration) string {
	local := start.In(london(t))
	day := local.Format(time.DateOnly)
	return fmt.Sprintf(`{"discipline":"physiotherapist","from":"%s","to":"%s","weekdays":["%s"],"earliest":"%s","latest":"%s"}`,
		day, day, strings.ToLower(local.Weekday().String()), local.Format("15:04"), local.Add(span).Format("15:04"))
}
