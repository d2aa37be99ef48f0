package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/storetest"
)

// TestErasureLeavesNothingOfThePlanEmails: after a patient with a plan,
// exercise logs, scores, reminders and a questionnaire is erased, no value
// of any table (theirs and the plan's included) holds their name or email,
// and the rows that concern only the plan's emails are gone; the clinical
// records stay.
func TestErasureLeavesNothingOfThePlanEmails(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.store
			l := storetest.MustCreateLocation(t, s)
			o := storetest.MustCreateOffering(t, s, "Physiotherapy follow-up", backdesk.DisciplinePhysiotherapist)
			pr := storetest.MustCreatePractitioner(t, s, "P One", backdesk.DisciplinePhysiotherapist, o, l)
			u := &backdesk.User{Email: "erase.plan@example.org", Name: "Unmistakable Name", Role: backdesk.RolePatient}
			if err := s.InsertUser(ctx, u, "$argon2id$x", nil); err != nil {
				t.Fatal(err)
			}
			p := &backdesk.CarePlan{PatientID: u.PatientID, PractitionerID: pr.ID, Current: &backdesk.CarePlanVersion{Problem: "Back pain.", AuthorID: pr.ID,
				Exercises: []backdesk.PlanExercise{{ExerciseID: "bridge", ExerciseVersion: "2026.1", Dosage: backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 1}}}}}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(s.InsertCarePlan(ctx, p, nil))
			now := time.Now()
			must(s.InsertExerciseLog(ctx, &backdesk.ExerciseLog{PlanID: p.ID, Version: 1, PatientID: u.PatientID, ExerciseID: "bridge"}, now.Add(-time.Hour), now.Add(time.Hour), 1, nil))
			must(s.InsertOutcomes(ctx, []*backdesk.Outcome{{PatientID: u.PatientID, Measure: backdesk.MeasurePain, Value: 4, Source: backdesk.SourceFollowUp}}, nil))
			must(s.UpsertReminderSettings(ctx, &backdesk.ReminderSettings{PatientID: u.PatientID, Daily: true, Hour: 8, OutcomeRequests: true}, nil))
			if _, err := s.InsertPlanReminder(ctx, u.PatientID, backdesk.DateOf(now), &backdesk.OutboxMessage{Kind: "plan_reminder", To: u.Email,
				Subject: "Your exercises for today", Body: "Hello Unmistakable Name, link /emails/stop/TOKEN", Sensitive: true}, nil); err != nil {
				t.Fatal(err)
			}
			bk := &backdesk.Booking{PatientID: u.PatientID, PractitionerID: pr.ID, ServiceID: o.ID, LocationID: l.ID, Start: now.Add(20 * time.Hour).Truncate(time.Minute)}
			bk.End, bk.BlocksUntil = bk.Start.Add(30*time.Minute), bk.Start.Add(40*time.Minute)
			if _, err := s.InsertBooking(ctx, bk, nil, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: bk.ID, PatientID: u.PatientID},
				&backdesk.OutboxMessage{Kind: "outcome_request", To: u.Email, Subject: "Before your appointment", Body: "Hello Unmistakable Name", Sensitive: true}, nil); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(dumpText(t, b), "Unmistakable Name") {
				t.Fatal("the dump does not show the name before erasure: it looks in the wrong place")
			}
			_, err := s.EraseUser(ctx, u.ID, nil)
			must(err)
			dump := dumpText(t, b)
			for _, personal := range []string{"Unmistakable Name", u.Email, "TOKEN"} {
				if strings.Contains(dump, personal) {
					t.Errorf("%q survives the erasure", personal)
				}
			}
			raw := b.raw(t)
			for _, table := range []string{"reminder_settings", "plan_reminders_sent", "outcome_requests"} {
				var n int
				raw.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE patient_id = $1`, u.PatientID).Scan(&n)
				if n != 0 {
					t.Errorf("%d rows of %s survive the erasure", n, table)
				}
			}
			for _, table := range []string{"care_plans", "care_plan_versions", "exercise_logs", "outcomes"} {
				var n int
				raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
				if n != 1 {
					t.Errorf("%s has %d rows after the erasure; the clinical record stays", table, n)
				}
			}
		})
	}
}
