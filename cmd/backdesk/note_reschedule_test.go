package main

import (
	"fmt"
	"testing"
	"time"
)

// TestDraftNoteFollowsTheReschedule: a practitioner writes the draft note
// of an appointment before it (what the patient said on the phone); the
// patient moves the appointment. The draft is the new appointment's, where
// the practitioner will look for it on the day, not left behind on the
// cancelled one (it was: the new appointment had no note, and the draft
// sat on a cancelled booking).
func TestDraftNoteFollowsTheReschedule(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			f := newPlanFixture(t, app)
			draft := mustCreate(t, f.amira, "/api/v1/appointments/"+f.booking.ID+"/notes", `{"subjective":"Phoned: pain worse since Sunday"}`)
			var later time.Time
			for _, s := range slotsOf(t, f.sam, "service=1&practitioner=1&"+window(14)) {
				if s.Start.After(f.booking.Start.Add(2 * time.Hour)) {
					later = s.Start
					break
				}
			}
			status, body := f.sam.PostJSON("/api/v1/appointments/"+f.booking.ID+"/reschedule", fmt.Sprintf(`{"start":"%s"}`, later.Format(time.RFC3339)))
			var moved bookingJSON
			decode(t, body, &moved)
			if status != 200 || moved.ID == f.booking.ID {
				t.Fatalf("reschedule = %d %s", status, body)
			}
			var notes struct{ Notes []noteJSON }
			_, body = f.amira.Get("/api/v1/appointments/" + moved.ID + "/notes")
			decode(t, body, &notes)
			if len(notes.Notes) != 1 || notes.Notes[0].ID != draft || notes.Notes[0].Subjective != "Phoned: pain worse since Sunday" {
				t.Errorf("the new appointment's notes = %s, want the draft %s", body, draft)
			}
			_, body = f.amira.Get("/api/v1/appointments/" + f.booking.ID + "/notes")
			decode(t, body, &notes)
			if len(notes.Notes) != 0 {
				t.Errorf("the cancelled appointment still has notes: %s", body)
			}
		})
	}
}
