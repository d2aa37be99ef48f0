package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"backdesk"
)

// TestTimeOffPage: a practitioner blocks a day from the time-off page. No
// time in it is offered any more; the appointment already booked in it stays
// and is listed for reception to move; a bad span changes nothing; removing
// the time off offers the times again.
func TestTimeOffPage(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			amira, sam, reception := app.Client(t), app.Client(t), app.Client(t)
			amira.Login("amira.shah@riverside.example")
			sam.Login("sam.taylor@example.org")
			reception.Login("reception@riverside.example")
			booked := bookFirstFree(t, sam, "1")
			date := backdesk.DateOf(booked.Start.In(london(t)))
			dayStart, dayEnd := date.Start(london(t)), date.AddDays(1).Start(london(t))
			day := "service=1&practitioner=1&from=" + url.QueryEscape(dayStart.Format(time.RFC3339)) + "&to=" + url.QueryEscape(dayEnd.Format(time.RFC3339))
			freeBefore := slotsOf(t, sam, day)
			if len(freeBefore) == 0 {
				t.Fatal("no free time that day to begin with")
			}
			timeOff := func() []struct{ ID string } {
				status, body := amira.Get("/api/v1/practitioners/1/time-off")
				if status != 200 {
					t.Fatalf("time off list = %d %s", status, body)
				}
				var list struct {
					TimeOff []struct{ ID string } `json:"time_off"`
				}
				decode(t, body, &list)
				return list.TimeOff
			}

			// A span that ends before it starts: the page says so, nothing is stored.
			status, body, _ := amira.PostForm("/time-off", url.Values{"start": {dayStart.Format("2006-01-02T15:04")}, "end": {dayStart.Add(-time.Hour).Format("2006-01-02T15:04")}})
			if status != 422 || !strings.Contains(body, "end after its start") {
				t.Errorf("a reversed span = %d, want 422 with the reason", status)
			}
			if n := len(timeOff()); n != 0 {
				t.Fatalf("a refused span stored %d time off", n)
			}

			status, _, h := amira.PostForm("/time-off", url.Values{"start": {dayStart.Format("2006-01-02T15:04")}, "end": {dayEnd.Format("2006-01-02T15:04")}, "reason": {"Course"}})
			if status != 303 || !strings.Contains(amira.StatusLine(h), "1 appointment is still booked") {
				t.Fatalf("adding time off = %d, to %q", status, h.Get("Location"))
			}
			if free := slotsOf(t, sam, day); len(free) != 0 {
				t.Errorf("%d times still offered during the time off, first %v", len(free), free[0].Start)
			}
			// A time that was free before is refused, to the patient and to
			// reception (the insert itself checks the time off).
			for c, patient := range map[*Client]string{sam: "", reception: `,"patient_id":"` + booked.PatientID + `"`} {
				status, body := c.PostJSON("/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+freeBefore[0].Start.Format(time.RFC3339)+`"`+patient+`}`)
				if status != 409 || !strings.Contains(body, "no longer available") {
					t.Errorf("booking a time inside the time off = %d %s, want 409", status, body)
				}
			}
			status, body = sam.Get("/api/v1/appointments/" + booked.ID)
			if status != 200 || !strings.Contains(body, `"status":"booked"`) {
				t.Errorf("the appointment inside the time off = %d %s", status, body)
			}
			status, body = amira.Get("/time-off")
			if status != 200 || !strings.Contains(body, "/appointments/"+booked.ID) || !strings.Contains(body, "Course") {
				t.Errorf("the time-off page does not list the appointment still booked in it: %d", status)
			}
			status, body = reception.Get("/time-off?practitioner=1")
			if status != 200 || !strings.Contains(body, "/appointments/"+booked.ID) || !strings.Contains(body, `name="practitioner"`) {
				t.Errorf("reception's time-off page = %d", status)
			}

			list := timeOff()
			if len(list) != 1 {
				t.Fatalf("time off = %+v", list)
			}
			if status, _, _ := sam.PostForm("/time-off/"+list[0].ID+"/delete", nil); status != 403 {
				t.Errorf("a patient removing time off = %d", status)
			}
			if status, _, _ := amira.PostForm("/time-off/"+list[0].ID+"/delete", url.Values{"practitioner": {"1"}}); status != 303 {
				t.Fatalf("removing time off = %d", status)
			}
			if len(slotsOf(t, sam, day)) == 0 {
				t.Error("the times were not offered again after the time off was removed")
			}
		})
	}
}
