package main

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPatientLimits: a patient booking online holds at most 4 future
// appointments (the default), however many they ask for at once, and is
// told so in plain words; reception books past it. They hold at most 3
// waiting waitlist requests, and the same request twice is refused.
func TestPatientLimits(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			hoarder := app.RegisterPatient(t, "hoarder@example.org", "Hoarder")
			slots := slotsOf(t, hoarder, "service=1&practitioner=1&"+window(14))
			const n = 12
			statuses, answers := make([]int, n), make([]string, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					statuses[i], answers[i] = hoarder.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`,
						slots[4*i].Start.Format(time.RFC3339)))
				})
			}
			close(start)
			wg.Wait()
			booked := 0
			for i := range n {
				switch {
				case statuses[i] == 201:
					booked++
				case statuses[i] == 409 && strings.Contains(answers[i], "You already have 4 appointments booked"):
				default:
					t.Errorf("booking %d = %d %s", i, statuses[i], answers[i])
				}
			}
			if booked != 4 {
				t.Errorf("%d of %d bookings made at once succeeded, want 4", booked, n)
			}
			_, list := hoarder.Get("/api/v1/appointments?status=booked")
			var l struct {
				Total        int
				Appointments []struct {
					ID        string `json:"id"`
					PatientID string `json:"patient_id"`
				}
			}
			decode(t, list, &l)
			if l.Total != 4 {
				t.Errorf("the patient holds %d appointments, want 4", l.Total)
			}
			// The page says so in plain words.
			status, page, _ := hoarder.PostForm("/book", url.Values{"service_id": {"1"}, "practitioner_id": {"1"}, "start": {slots[4*n].Start.Format(time.RFC3339)}})
			if status != 409 || !strings.Contains(page, "the most that can be booked online at one time") {
				t.Errorf("the booking page past the limit = %d", status)
			}
			// Reception books past it; a cancelled one makes room.
			desk := app.Client(t)
			desk.Login("reception@riverside.example")
			if status, body := desk.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"%s"}`,
				slots[4*n+4].Start.Format(time.RFC3339), l.Appointments[0].PatientID)); status != 201 {
				t.Errorf("reception booking a fifth = %d %s", status, body)
			}
			for _, a := range l.Appointments[:2] {
				if status, body := hoarder.PostJSON("/api/v1/appointments/"+a.ID+"/cancel", `{}`); status != 200 {
					t.Fatalf("cancel = %d %s", status, body)
				}
			}
			if status, body := hoarder.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slots[4*n+8].Start.Format(time.RFC3339))); status != 201 {
				t.Errorf("booking with 3 held after cancelling two = %d %s", status, body)
			}
			if status, body := hoarder.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slots[4*n+12].Start.Format(time.RFC3339))); status != 409 {
				t.Errorf("booking with 4 held = %d %s", status, body)
			}

			// The waitlist: the same request at once, ten times: one entry.
			request := func(day int) string {
				return fmt.Sprintf(`{"discipline":"physiotherapist","from":"2030-01-01","to":"2030-01-%02d","weekdays":["tuesday","monday"],"earliest":"09:00","latest":"12:00"}`, day)
			}
			for i := range 10 {
				wg.Go(func() { statuses[i], answers[i] = hoarder.PostJSON("/api/v1/waitlist", request(10)) })
			}
			wg.Wait()
			made := 0
			for i := range 10 {
				switch {
				case statuses[i] == 201:
					made++
				case statuses[i] == 409 && strings.Contains(answers[i], "already on the waitlist"):
				default:
					t.Errorf("waitlist request %d = %d %s", i, statuses[i], answers[i])
				}
			}
			if made != 1 {
				t.Errorf("%d identical requests stored, want 1", made)
			}
			if status, body := hoarder.PostJSON("/api/v1/waitlist", strings.Replace(request(10), `"tuesday","monday"`, `"monday","tuesday","monday"`, 1)); status != 409 {
				t.Errorf("the same request written another way = %d %s", status, body)
			}
			for day := 11; day <= 12; day++ {
				if status, body := hoarder.PostJSON("/api/v1/waitlist", request(day)); status != 201 {
					t.Errorf("request for day %d = %d %s", day, status, body)
				}
			}
			if status, body := hoarder.PostJSON("/api/v1/waitlist", request(13)); status != 409 || !strings.Contains(body, "You already have 3 requests on the waitlist") {
				t.Errorf("a fourth waiting request = %d %s", status, body)
			}
		})
	}
}
