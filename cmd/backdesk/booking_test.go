package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

type slotJSON struct {
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	PractitionerID string    `json:"practitioner_id"`
	ServiceID      string    `json:"service_id"`
	LocationID     string    `json:"location_id"`
}

type bookingJSON struct {
	ID               string    `json:"id"`
	Start            time.Time `json:"start"`
	Status           string    `json:"status"`
	PatientID        string    `json:"patient_id"`
	PractitionerID   string    `json:"practitioner_id"`
	LateCancellation bool      `json:"late_cancellation"`
	RescheduledFrom  string    `json:"rescheduled_from"`
}

func slotsOf(t *testing.T, c *Client, query string) []slotJSON {
	t.Helper()
	status, body := c.Get("/api/v1/availability?" + query)
	if status != 200 {
		t.Fatalf("availability %s = %d %s", query, status, body)
	}
	var s []slotJSON
	decode(t, body, &s)
	return s
}

// window is the next n days from tomorrow, for availability queries.
func window(days int) string {
	from := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return "from=" + from.Format(time.RFC3339) + "&to=" + from.Add(time.Duration(days)*24*time.Hour).Format(time.RFC3339)
}

func TestBookingAPI(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			anon, sam := app.Client(t), app.Client(t)
			sam.Login("sam.taylor@example.org")
			slots := slotsOf(t, anon, "service=1&"+window(7))
			if len(slots) < 20 {
				t.Fatalf("only %d slots for physiotherapy in a week", len(slots))
			}
			for _, s := range slots {
				if s.ServiceID != "1" || s.LocationID != "1" || s.End.Sub(s.Start) != 45*time.Minute || (s.PractitionerID != "1" && s.PractitionerID != "2") {
					t.Fatalf("odd slot %+v", s)
				}
			}
			first := slots[0]
			body := fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s"}`, first.PractitionerID, first.Start.Format(time.RFC3339))

			status, resp, _ := anon.Do("POST", "/api/v1/appointments", "application/json", body)
			if status != 401 {
				t.Errorf("anonymous booking = %d %s", status, resp)
			}
			// The same question, asked just before and just after the booking:
			// a reused answer must not outlive a change made here.
			before := slotsOf(t, anon, "service=1&practitioner="+first.PractitionerID+"&"+window(7))
			status, resp, h := sam.Do("POST", "/api/v1/appointments", "application/json", body, "Idempotency-Key", "k-1")
			var b bookingJSON
			decode(t, resp, &b)
			if status != 201 || b.Status != "booked" || !b.Start.Equal(first.Start) || h.Get("Location") != "/api/v1/appointments/"+b.ID {
				t.Fatalf("book = %d %s", status, resp)
			}
			status, again, _ := sam.Do("POST", "/api/v1/appointments", "application/json", body, "Idempotency-Key", "k-1")
			if status != 201 || again != resp {
				t.Errorf("retry with the same key = %d %s, want the first answer", status, again)
			}
			otherTime := fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s"}`, first.PractitionerID, slots[len(slots)-1].Start.Format(time.RFC3339))
			if status, resp, _ := sam.Do("POST", "/api/v1/appointments", "application/json", otherTime, "Idempotency-Key", "k-1"); status != 422 ||
				!strings.Contains(resp, `"code":"invalid"`) || !strings.Contains(resp, `"field":"Idempotency-Key"`) {
				t.Errorf("the same key with another time = %d %s, want 422 naming Idempotency-Key", status, resp)
			}
			if status, resp, _ := sam.Do("POST", "/api/v1/appointments", "application/json", body); status != 409 || !strings.Contains(resp, `"code":"conflict"`) {
				t.Errorf("the same time again = %d %s", status, resp)
			}
			after := slotsOf(t, anon, "service=1&practitioner="+first.PractitionerID+"&"+window(7))
			if len(before) == 0 || !before[0].Start.Equal(first.Start) || len(after) >= len(before) {
				t.Errorf("slots before %d, after %d: the booked time is still offered", len(before), len(after))
			}
			for _, s := range after {
				if s.Start.Before(first.Start.Add(time.Hour)) && s.Start.Add(time.Hour).After(first.Start) {
					t.Errorf("a slot overlapping the booking and its buffer is still offered: %s", s.Start)
				}
			}

			// Staff book for a patient; a patient cannot book for another.
			reception := app.Client(t)
			reception.Login("reception@riverside.example")
			second := slots[len(slots)-1]
			staffBody := fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s","patient_id":"%s"}`, second.PractitionerID, second.Start.Format(time.RFC3339), b.PatientID)
			if status, resp := reception.PostJSON("/api/v1/appointments", staffBody); status != 201 {
				t.Errorf("reception books for a patient = %d %s", status, resp)
			}
			if status, resp := reception.PostJSON("/api/v1/appointments", body); status != 400 || !strings.Contains(resp, `"field":"patient_id"`) {
				t.Errorf("reception without patient_id = %d %s", status, resp)
			}
			if status, _ := sam.PostJSON("/api/v1/appointments", strings.Replace(staffBody, `"patient_id":"`+b.PatientID, `"patient_id":"999`, 1)); status != 403 {
				t.Errorf("patient booking for someone else = %d", status)
			}
			amira := app.Client(t)
			amira.Login("amira.shah@riverside.example")
			if status, _ := amira.PostJSON("/api/v1/appointments", body); status != 403 {
				t.Errorf("practitioner booking = %d", status)
			}
			// The practitioner sees it in their diary; another patient does not see it at all.
			_, diary := amira.Get("/api/v1/appointments")
			if (first.PractitionerID == "1") != strings.Contains(diary, `"id":"`+b.ID+`"`) {
				t.Errorf("Amira's diary (practitioner 1) and booking with %s: %s", first.PractitionerID, diary)
			}
			other := app.RegisterPatient(t, "other.patient@example.org", "Other")
			if status, _ := other.Get("/api/v1/appointments/" + b.ID); status != 404 {
				t.Errorf("another patient's GET = %d", status)
			}
			if _, list := other.Get("/api/v1/appointments"); strings.Contains(list, `"id":"`+b.ID+`"`) {
				t.Error("another patient's list shows the booking")
			}

			// Bad requests name the field.
			for _, tc := range []struct{ query, field string }{
				{"from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "service"},
				{"service=1&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "to"},
				{"service=1&from=yesterday&to=2026-03-01T00:00:00Z", "from"},
				{"service=999&" + window(1), "service"},
			} {
				if status, resp := anon.Get("/api/v1/availability?" + tc.query); status != 400 || !strings.Contains(resp, `"field":"`+tc.field+`"`) {
					t.Errorf("availability %s = %d %s", tc.query, status, resp)
				}
			}
			if status, resp := sam.PostJSON("/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"2020-01-01T09:00:00Z"}`); status != 400 || !strings.Contains(resp, `"field":"start"`) {
				t.Errorf("booking in the past = %d %s", status, resp)
			}
			if status, _ := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, first.Start.Add(7*time.Minute).Format(time.RFC3339))); status != 409 {
				t.Errorf("booking off the grid = %d", status)
			}

			// The appointment as a calendar file, in the clinic's time zone.
			status, ics, h := sam.Do("GET", "/api/v1/appointments/"+b.ID+"/ics", "", "")
			wantStart := "DTSTART;TZID=Europe/London:" + first.Start.In(london(t)).Format("20060102T150405")
			if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") || !strings.Contains(ics, wantStart) ||
				!strings.Contains(ics, "BEGIN:VTIMEZONE") || !strings.Contains(ics, "SUMMARY:Physiotherapy initial assessment with ") || !strings.Contains(ics, "\r\n") {
				t.Errorf("ics = %d %q\n%s", status, h.Get("Content-Type"), ics)
			}
			if status, _, _ := other.Do("GET", "/api/v1/appointments/"+b.ID+"/ics", "", ""); status != 404 {
				t.Errorf("another patient's ics = %d", status)
			}

			// Reschedule by 15 minutes (its own time does not block it), then cancel.
			moved := first.Start.Add(15 * time.Minute)
			status, resp = sam.PostJSON("/api/v1/appointments/"+b.ID+"/reschedule", `{"start":"`+moved.Format(time.RFC3339)+`"}`)
			var nb bookingJSON
			decode(t, resp, &nb)
			if status != 200 || !nb.Start.Equal(moved) || nb.RescheduledFrom != b.ID {
				t.Fatalf("reschedule = %d %s", status, resp)
			}
			if _, old := sam.Get("/api/v1/appointments/" + b.ID); !strings.Contains(old, `"status":"cancelled"`) {
				t.Errorf("old booking after reschedule: %s", old)
			}
			status, resp = sam.PostJSON("/api/v1/appointments/"+nb.ID+"/cancel", `{"reason":"feeling better"}`)
			var cb bookingJSON
			decode(t, resp, &cb)
			wantLate := time.Until(moved) < 24*time.Hour
			if status != 200 || cb.Status != "cancelled" || cb.LateCancellation != wantLate {
				t.Errorf("cancel = %d %s (late should be %v)", status, resp, wantLate)
			}
			if status, _ := sam.PostJSON("/api/v1/appointments/"+nb.ID+"/cancel", `{}`); status != 409 {
				t.Errorf("cancel twice = %d", status)
			}
			// The audit log has the booking's story.
			admin := app.Client(t)
			admin.Login("admin@riverside.example")
			_, audit := admin.Get("/api/v1/audit?patient=" + b.PatientID)
			for _, a := range []string{"booking.create", "booking.reschedule", "booking.cancel"} {
				if !strings.Contains(audit, `"action":"`+a+`"`) {
					t.Errorf("audit lacks %s", a)
				}
			}
		})
	}
}

// TestConcurrentBookingHTTP: 50 requests for one time at once; exactly one
// gets 201 and 49 get 409. On PostgreSQL they go to two real server
// processes sharing the database.
func TestConcurrentBookingHTTP(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			var bases []string
			if db.name == "postgres" {
				// Two real server processes of the built binary on one database.
				_, a := startProcess(t, db.url, "--demo")
				_, b := startProcess(t, db.url)
				bases = []string{a, b}
			} else {
				bases = []string{MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo").URL}
			}
			reception := []*Client{}
			for _, base := range bases {
				c := (&App{URL: base}).Client(t)
				c.Login("reception@riverside.example")
				reception = append(reception, c)
			}
			slot := slotsOf(t, reception[0], "service=1&practitioner=1&"+window(7))[0]
			body := fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"1"}`, slot.Start.Format(time.RFC3339))
			const n = 50
			statuses := make([]int, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					statuses[i], _ = reception[i%len(reception)].PostJSON("/api/v1/appointments", body)
				}()
			}
			close(start)
			wg.Wait()
			count := map[int]int{}
			for _, s := range statuses {
				count[s]++
			}
			if count[201] != 1 || count[409] != n-1 {
				t.Errorf("statuses = %v, want one 201 and %d 409", count, n-1)
			}
			_, list := reception[0].Get("/api/v1/appointments?practitioner=1&status=booked")
			var l struct{ Total int }
			json.Unmarshal([]byte(list), &l)
			if l.Total != 1 {
				t.Errorf("%d bookings stored, want 1", l.Total)
			}
		})
	}
}

// TestIdempotencyKeyRace: twenty requests under one Idempotency-Key at
// once, half asking for one time and half for another: one booking is
// made; every request for its time gets that booking, every request for
// the other time 422 (never the first booking, never a second one).
func TestIdempotencyKeyRace(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			desk := app.Client(t)
			desk.Login("reception@riverside.example")
			slots := slotsOf(t, desk, "service=1&practitioner=1&"+window(7))
			bodies := [2]string{}
			for i, sl := range []slotJSON{slots[0], slots[len(slots)-1]} {
				bodies[i] = fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"1"}`, sl.Start.Format(time.RFC3339))
			}
			const n = 20
			statuses, answers := make([]int, n), make([]string, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					statuses[i], answers[i], _ = desk.Do("POST", "/api/v1/appointments", "application/json", bodies[i%2], "Idempotency-Key", "race-key")
				})
			}
			close(start)
			wg.Wait()
			winner := -1
			for i := range n {
				if statuses[i] == 201 {
					winner = i % 2
				}
			}
			if winner < 0 {
				t.Fatalf("no request booked: %v", statuses)
			}
			ids := map[string]bool{}
			for i := range n {
				switch {
				case i%2 == winner && statuses[i] == 201:
					var b bookingJSON
					decode(t, answers[i], &b)
					ids[b.ID] = true
				case i%2 != winner && statuses[i] == 422:
				default:
					t.Errorf("request %d (time %d, the booked one is %d) = %d %s", i, i%2, winner, statuses[i], answers[i])
					if statuses[i] == 500 {
						t.Logf("server log: %s", app.Stderr)
					}
				}
			}
			if len(ids) != 1 {
				t.Errorf("bookings answered: %v, want one", ids)
			}
			_, list := desk.Get("/api/v1/appointments?practitioner=1&status=booked")
			var l struct{ Total int }
			decode(t, list, &l)
			if l.Total != 1 {
				t.Errorf("%d bookings stored, want 1", l.Total)
			}
		})
	}
}

// nextChange finds the next two clock changes (spring and autumn) of zone
// after now, so that the test never goes out of date.
func nextChanges(t *testing.T, zone string) []time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	day := time.Now().In(loc).AddDate(0, 0, 3)
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	for i := 0; i < 800 && len(out) < 2; i++ {
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if next.Sub(day) != 24*time.Hour {
			out = append(out, day)
		}
		day = next
	}
	if len(out) < 2 {
		t.Fatalf("%s: no clock changes found", zone)
	}
	return out
}

// nightClinic adds, through the API, a location in zone whose one
// physiotherapist works 00:00–05:00 every day (the hours clocks change in),
// on a 30-minute grid with no notice; it returns the service's id.
func nightClinic(t *testing.T, admin *Client, zone, country string) string {
	t.Helper()
	status, body := admin.PostJSON("/api/v1/locations", `{"name":"Night clinic `+zone+`","address":{"line1":"1 Road","city":"Town"},"phone":"1",
		"time_zone":"`+zone+`","country":"`+country+`","booking_policy":{"min_notice_minutes":0,"horizon_days":730,"late_cancel_hours":24,"slot_step_minutes":30}}`)
	var loc struct{ ID string }
	decode(t, body, &loc)
	if status != 201 {
		t.Fatalf("create location: %d %s", status, body)
	}
	status, body = admin.PostJSON("/api/v1/services", `{"name":"Night physio `+zone+`","discipline":"physiotherapist","duration_minutes":30,"price_minor":100,"currency":"GBP","bookable_online":true,"active":true}`)
	var svc struct{ ID string }
	decode(t, body, &svc)
	if status != 201 {
		t.Fatalf("create service: %d %s", status, body)
	}
	var hours []string
	for _, d := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		hours = append(hours, `{"location_id":"`+loc.ID+`","weekday":"`+d+`","starts":"00:00","ends":"05:00"}`)
	}
	status, body = admin.PostJSON("/api/v1/practitioners", fmt.Sprintf(`{"name":"Night %s","discipline":"physiotherapist","active":true,"offers":[{"service_id":"%s","location_id":"%s"}],"working_hours":[%s]}`,
		zone, svc.ID, loc.ID, strings.Join(hours, ",")))
	if status != 201 {
		t.Fatalf("create practitioner: %d %s", status, body)
	}
	return svc.ID
}

// TestAvailabilityAcrossDST sets up a clinic in each zone with hours over the
// night of the change, and checks through the API that offered times are real
// local times on the grid, none twice, and that a booked instant reads back.
func TestAvailabilityAcrossDST(t *testing.T) {
	app := demoApp(t)
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	for _, zone := range []string{"Europe/London", "America/Edmonton"} {
		svc := nightClinic(t, admin, zone, map[string]string{"Europe/London": "GB", "America/Edmonton": "CA"}[zone])
		tz, _ := time.LoadLocation(zone)
		for _, change := range nextChanges(t, zone) {
			nextMidnight := time.Date(change.Year(), change.Month(), change.Day()+1, 0, 0, 0, 0, tz) // 23 or 25 hours later
			q := fmt.Sprintf("service=%s&from=%s&to=%s", svc, change.UTC().Format(time.RFC3339), nextMidnight.UTC().Format(time.RFC3339))
			slots := slotsOf(t, admin, q)
			seen := map[time.Time]bool{}
			for _, s := range slots {
				lt := s.Start.In(tz)
				if lt.Minute()%30 != 0 || seen[s.Start] || s.End.Sub(s.Start) != 30*time.Minute {
					t.Errorf("%s %s: slot %s off the grid, repeated or wrong length", zone, change.Format("2006-01-02"), lt)
				}
				seen[s.Start] = true
				if lt.Hour() >= 5 {
					t.Errorf("%s: slot %s outside 00:00–05:00", zone, lt)
				}
			}
			// 00:00–05:00 is 10 half hours on a normal night; the change
			// removes two (spring) or adds two (autumn) real half hours.
			wall := time.Date(change.Year(), change.Month(), change.Day(), 5, 0, 0, 0, tz)
			if want := int(wall.Sub(change) / (30 * time.Minute)); len(slots) != want || want == 10 {
				t.Errorf("%s %s: %d slots, want %d (the night lasts %s)", zone, change.Format("2006-01-02"), len(slots), want, wall.Sub(change))
			}
			// Book the first slot after the change and read the instant back.
			var after slotJSON
			for _, s := range slots {
				if s.Start.In(tz).Hour() >= 3 {
					after = s
					break
				}
			}
			status, body := admin.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"%s","practitioner_id":"%s","start":"%s","patient_id":"1"}`,
				svc, after.PractitionerID, after.Start.Format(time.RFC3339)))
			var b bookingJSON
			decode(t, body, &b)
			if status != 201 || !b.Start.Equal(after.Start) {
				t.Errorf("%s: book %s = %d %s", zone, after.Start, status, body)
			}
			_, got := admin.Get("/api/v1/appointments/" + b.ID)
			var rb bookingJSON
			decode(t, got, &rb)
			if !rb.Start.Equal(after.Start) {
				t.Errorf("%s: booked %s, read back %s", zone, after.Start, rb.Start)
			}
		}
	}
}

// bookFirstFree books, as c, the first free time of the first service with
// the practitioner in the coming two weeks, and returns the booking.
func bookFirstFree(t *testing.T, c *Client, practitioner string) bookingJSON {
	t.Helper()
	slot := slotsOf(t, c, "service=1&practitioner="+practitioner+"&"+window(14))[0]
	status, body := c.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s"}`, practitioner, slot.Start.Format(time.RFC3339)))
	if status != 201 {
		t.Fatalf("booking = %d %s", status, body)
	}
	var b bookingJSON
	decode(t, body, &b)
	return b
}

// london is the demo clinic's time zone.
func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestAvailabilityWhereMidnightIsSkipped: in America/Santiago the clocks
// jump from 00:00 to 01:00 on the first Sunday of September. Availability
// across that night answers (it once never returned), and the night's
// times start at 01:00, when the date begins.
func TestAvailabilityWhereMidnightIsSkipped(t *testing.T) {
	app := demoApp(t)
	admin := app.Client(t)
	admin.Client.Timeout = 10 * time.Second
	admin.Login("admin@riverside.example")
	svc := nightClinic(t, admin, "America/Santiago", "CL")
	tz, _ := time.LoadLocation("America/Santiago")
	// The next first Sunday of September at least three days away.
	var sunday time.Time
	for y := time.Now().Year(); sunday.IsZero() || sunday.Before(time.Now().AddDate(0, 0, 3)); y++ {
		sunday = time.Date(y, time.September, 1, 12, 0, 0, 0, tz)
		for sunday.Weekday() != time.Sunday {
			sunday = sunday.AddDate(0, 0, 1)
		}
	}
	q := fmt.Sprintf("service=%s&from=%s&to=%s", svc, sunday.Add(-24*time.Hour).UTC().Format(time.RFC3339), sunday.UTC().Format(time.RFC3339))
	var got []string
	for _, s := range slotsOf(t, admin, q) {
		got = append(got, s.Start.In(tz).Format("Mon 15:04 -07"))
	}
	want := "Sun 01:00 -03,Sun 01:30 -03,Sun 02:00 -03,Sun 02:30 -03,Sun 03:00 -03,Sun 03:30 -03,Sun 04:00 -03,Sun 04:30 -03"
	if strings.Join(got, ",") != want {
		t.Errorf("the night of the change offers\n  %s\nwant\n  %s", strings.Join(got, ","), want)
	}
}
