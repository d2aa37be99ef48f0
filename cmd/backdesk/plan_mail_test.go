package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mail"
	"backdesk/mail/mailtest"
	"backdesk/sqlstore"
)

// fakeClock is a clock a test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var stopLinkRE = regexp.MustCompile(`/emails/stop/(\S+)`)
var requestLinkRE = regexp.MustCompile(`/outcomes/request/(\S+)`)

// TestPlanEmailsOverDays: over several days of a clock the test moves, with
// two sweepers (as two processes would run) and two mail workers sharing one
// database and a real SMTP listener: the daily reminder arrives once a day
// and the questionnaire once, the day before the follow-up; never for the
// first visit, a cancelled follow-up or one already past; both stop, from
// the links in the emails without signing in, once the patient opts out.
func TestPlanEmailsOverDays(t *testing.T) {
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			ctx := context.Background()
			london, _ := time.LoadLocation("Europe/London")
			clock := &fakeClock{t: time.Date(2030, 1, 3, 9, 0, 0, 0, london)} // a Thursday, 09:00
			db, err := sqlstore.Open(ctx, tdb.url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			db.Now = clock.Now
			cfg := DefaultConfig()
			cfg.BaseURL = "http://clinic.test"
			cfg.PatientBookings = 0 // the patient here books more than the clinic's online limit
			svcs, err := newServices(db, cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			svcs.bookings.Now, svcs.reminders.Now, svcs.outcomes.Now = clock.Now, clock.Now, clock.Now
			svcs.web.CarePlans.(*clinic.CarePlanService).Now = clock.Now
			if err := seedDemo(ctx, svcs, "uk", io.Discard); err != nil {
				t.Fatal(err)
			}
			actor := func(email string) context.Context {
				u, _, err := db.FindUserByEmail(ctx, email)
				if err != nil {
					t.Fatal(err)
				}
				return backdesk.NewContextWithActor(ctx, clinic.Grant(backdesk.Actor{UserID: u.ID, Role: u.Role, PatientID: u.PatientID, PractitionerID: u.PractitionerID, Name: u.Name}))
			}
			sam, amira, nobody := actor("sam.taylor@example.org"), actor("amira.shah@riverside.example"), ctx
			samID := backdesk.ActorFromContext(sam).PatientID
			book := func(service int64, at time.Time) *backdesk.Booking {
				t.Helper()
				b, err := svcs.bookings.CreateBooking(sam, backdesk.BookingRequest{ServiceID: service, PractitionerID: 1, Start: at})
				if err != nil {
					t.Fatalf("book %v: %v", at, err)
				}
				return b
			}
			day := func(d, h, m int) time.Time { return time.Date(2030, 1, d, h, m, 0, 0, london) }
			book(1, day(3, 12, 0))              // the first visit: never asked about
			past := book(2, day(3, 14, 0))      // a follow-up that is over before the first sweep
			book(1, day(8, 8, 0))               // a first visit within the day: never asked about
			followUp := book(2, day(8, 10, 0))  // Tuesday: asked about on Monday afternoon
			cancelled := book(2, day(8, 11, 0)) // cancelled: never asked about
			if _, err := svcs.bookings.CancelBooking(sam, cancelled.ID, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := svcs.web.CarePlans.CreateCarePlan(amira, backdesk.CarePlanDraft{PatientID: samID, Problem: "Low back pain.",
				Exercises: []backdesk.PlanExercise{{ExerciseID: "bridge", Dosage: backdesk.Dosage{Sets: 2, Reps: 10, TimesPerDay: 1}},
					{ExerciseID: "cat-camel", Dosage: backdesk.Dosage{Sets: 1, Reps: 8, TimesPerDay: 2}}}}); err != nil {
				t.Fatal(err)
			}
			if err := svcs.reminders.UpdateReminderSettings(sam, &backdesk.ReminderSettings{PatientID: samID, Daily: true, Hour: 8, OutcomeRequests: true}); err != nil {
				t.Fatal(err)
			}

			box, smtpURL := mailtest.Start(t)
			sender, err := mail.ParseSMTP(smtpURL, cfg.MailFrom)
			if err != nil {
				t.Fatal(err)
			}
			workers := []*mail.Worker{mail.NewWorker(db, sender, clock.Now, nil), mail.NewWorker(db, sender, clock.Now, nil)}
			// sweep runs two sweepers at once, as two processes would, several
			// times, then lets the two workers deliver everything due.
			sweep := func() {
				t.Helper()
				for range 3 {
					var wg sync.WaitGroup
					for _, job := range []string{"plan_reminders", "outcome_requests"} {
						for range 2 {
							wg.Go(func() {
								sctx := backdesk.NewContextWithActor(ctx, backdesk.SystemActor(job))
								var err error
								if job == "plan_reminders" {
									_, err = svcs.reminders.SendDueReminders(sctx)
								} else {
									_, err = svcs.outcomes.SendOutcomeRequests(sctx)
								}
								if err != nil {
									t.Errorf("%s: %v", job, err)
								}
							})
						}
					}
					wg.Wait()
				}
				for {
					sent := make([]int, len(workers))
					var wg sync.WaitGroup
					for i, w := range workers {
						wg.Go(func() {
							n, err := w.RunOnce(ctx)
							if err != nil {
								t.Errorf("worker: %v", err)
							}
							sent[i] = n
						})
					}
					wg.Wait()
					if sent[0]+sent[1] == 0 {
						return
					}
				}
			}
			// emails lists the planned emails delivered, as "subject" lines.
			emails := func() (reminders, requests []string) {
				subjects, bodies := box.Subjects(), box.Bodies()
				for i, s := range subjects {
					switch {
					case s == "Your exercises for today":
						reminders = append(reminders, bodies[i])
					case strings.HasPrefix(s, "Before your appointment"):
						requests = append(requests, s+"\n"+bodies[i])
					}
				}
				return reminders, requests
			}

			// Monday 07:00: before the patient's hour, and more than a day
			// before Tuesday's follow-up: nothing.
			clock.Set(day(7, 7, 0))
			sweep()
			if r, q := emails(); len(r) != 0 || len(q) != 0 {
				t.Fatalf("at 07:00: %d reminders, %d questionnaires %q", len(r), len(q), q)
			}
			// Monday 15:00: today's reminder, and the questionnaire of
			// Tuesday's follow-up; not of the first visit, the cancelled one
			// or the one at noon, which is over.
			clock.Set(day(7, 15, 0))
			sweep()
			sweep()
			r, q := emails()
			if len(r) != 1 || len(q) != 1 {
				t.Fatalf("Monday afternoon: %d reminders, %d questionnaires, want 1 and 1:\n%q", len(r), len(q), box.Subjects())
			}
			if !strings.Contains(r[0], "Bridge: 2 sets of 10, once a day") || !strings.Contains(r[0], "http://clinic.test/plan") || !stopLinkRE.MatchString(r[0]) {
				t.Errorf("reminder = %s", r[0])
			}
			if !strings.Contains(q[0], "Tuesday 8 January at 10:00 GMT") || !requestLinkRE.MatchString(q[0]) {
				t.Errorf("questionnaire = %s", q[0])
			}
			for _, b := range []*backdesk.Booking{past, cancelled} {
				if _, err := db.FindOutcomeRequest(ctx, b.ID); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
					t.Errorf("booking at %v has a questionnaire: %v", b.Start, err)
				}
			}
			for id, n := range box.Counts() {
				if n != 1 {
					t.Errorf("%s delivered %d times", id, n)
				}
			}
			// The questionnaire, answered from the link without signing in, once.
			token := requestLinkRE.FindStringSubmatch(q[0])[1]
			if _, err := svcs.outcomes.AnswerOutcomeRequest(nobody, token, backdesk.OutcomeReport{PainNow: []byte("3")}); err != nil {
				t.Fatalf("answer: %v", err)
			}
			if _, err := svcs.outcomes.AnswerOutcomeRequest(nobody, token, backdesk.OutcomeReport{PainNow: []byte("2")}); backdesk.ErrorCode(err) != backdesk.CodeConflict {
				t.Errorf("second answer: %v", err)
			}
			if _, err := svcs.outcomes.AnswerOutcomeRequest(nobody, token[:len(token)-2]+"xx", backdesk.OutcomeReport{PainNow: []byte("2")}); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
				t.Errorf("a forged token: %v", err)
			}
			h, _ := svcs.outcomes.FindOutcomes(sam, samID)
			if len(h.Outcomes) != 1 || h.Outcomes[0].BookingID != followUp.ID || h.Outcomes[0].Source != backdesk.SourceFollowUp {
				t.Errorf("outcomes after the questionnaire = %+v", h.Outcomes)
			}

			// Tuesday 08:30: the next day's reminder, once.
			clock.Set(day(8, 8, 30))
			sweep()
			sweep()
			if r, _ := emails(); len(r) != 2 {
				t.Fatalf("Tuesday: %d reminders, want 2", len(r))
			}
			// The patient stops them from the link; Wednesday brings none, and
			// switching them on again the same day does not send a second.
			r, _ = emails()
			stop := stopLinkRE.FindStringSubmatch(r[1])[1]
			if kind, err := svcs.reminders.StopEmails(nobody, stop); err != nil || kind != backdesk.EmailDailyReminder {
				t.Fatalf("stop: %v %v", kind, err)
			}
			clock.Set(day(9, 9, 0))
			sweep()
			if r, _ := emails(); len(r) != 2 {
				t.Errorf("after stopping: %d reminders, want still 2", len(r))
			}
			if err := svcs.reminders.UpdateReminderSettings(sam, &backdesk.ReminderSettings{PatientID: samID, Daily: true, Hour: 8, OutcomeRequests: true}); err != nil {
				t.Fatal(err)
			}
			clock.Set(day(9, 9, 5))
			sweep()
			clock.Set(day(9, 9, 10))
			sweep()
			if r, _ := emails(); len(r) != 3 {
				t.Errorf("switched on again on Wednesday: %d reminders, want 3 (one for Wednesday)", len(r))
			}
			if err := svcs.reminders.UpdateReminderSettings(sam, &backdesk.ReminderSettings{PatientID: samID, Daily: false, Hour: 8, OutcomeRequests: true}); err != nil {
				t.Fatal(err)
			}
			sweep()
			if r, _ := emails(); len(r) != 3 {
				t.Errorf("off then on then off on one day: %d reminders, want 3", len(r))
			}

			// A patient who answers no to "May we email you about your care?"
			// gets no questionnaire, though they have not stopped them: none
			// is written, so it is asked once they say yes again.
			no, yes := false, true
			if _, err := db.UpdatePatient(ctx, samID, backdesk.PatientUpdate{ConsentEmail: &no}, nil); err != nil {
				t.Fatal(err)
			}
			refused := book(2, day(10, 9, 0)) // Thursday's first follow-up, within a day
			sweep()
			if _, q := emails(); len(q) != 1 {
				t.Errorf("after answering no to email: %d questionnaires, want still 1", len(q))
			}
			if _, err := db.FindOutcomeRequest(ctx, refused.ID); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
				t.Errorf("a questionnaire was written for a patient who said no to email: %v", err)
			}
			if _, err := db.UpdatePatient(ctx, samID, backdesk.PatientUpdate{ConsentEmail: &yes}, nil); err != nil {
				t.Fatal(err)
			}

			// The questionnaires stop too, from their own link.
			_, q = emails()
			stop = stopLinkRE.FindStringSubmatch(q[0])[1]
			if kind, err := svcs.reminders.StopEmails(nobody, stop); err != nil || kind != backdesk.EmailOutcomeRequest {
				t.Fatalf("stop questionnaires: %v %v", kind, err)
			}
			clock.Set(day(9, 11, 0))
			later := book(2, day(10, 10, 0)) // Thursday's follow-up, within a day
			sweep()
			if _, q := emails(); len(q) != 1 {
				t.Errorf("after stopping the questionnaires: %d, want still 1", len(q))
			}
			if _, err := db.FindOutcomeRequest(ctx, later.ID); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
				t.Errorf("a questionnaire was written after the patient stopped them: %v", err)
			}
			// Both sweeps are audited as the system's jobs.
			lines, _, err := db.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: samID, Action: backdesk.AuditReminderSend})
			if err != nil || len(lines) != 3 || lines[0].ActorRole != backdesk.RoleSystem || lines[0].ActorName != "plan_reminders" {
				t.Errorf("reminder audit = %+v %v", lines, err)
			}
			lines, _, _ = db.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: samID, Action: backdesk.AuditOutcomeRequest})
			if len(lines) != 1 || lines[0].ActorName != "outcome_requests" {
				t.Errorf("questionnaire audit = %+v", lines)
			}
		})
	}
}

// TestPlanEmailsServe: the same through `serve` itself, each process with
// its two mail workers and its sweeper, two processes on PostgreSQL: the
// reminder and the questionnaire arrive once each; the links in them work
// without signing in; after the patient stops the questionnaires, a new
// follow-up brings none.
func TestPlanEmailsServe(t *testing.T) {
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			box, smtpURL := mailtest.Start(t)
			env := map[string]string{"BACKDESK_DB": tdb.url, "BACKDESK_SMTP": smtpURL, "BACKDESK_BASE_URL": "http://clinic.test"}
			flags := []string{"--mail-interval", "20ms", "--sweep-interval", "20ms", "--outcome-request-before", "2400h"}
			app := MustRunMain(t, env, append([]string{"--demo"}, flags...)...)
			apps := []*App{app}
			if tdb.name == "postgres" {
				apps = append(apps, MustRunMain(t, env, flags...))
			}
			sam, amira := app.Client(t), apps[len(apps)-1].Client(t)
			sam.Login("sam.taylor@example.org")
			amira.Login("amira.shah@riverside.example")
			_, me := sam.Get("/api/v1/me")
			var u struct {
				PatientID string `json:"patient_id"`
			}
			decode(t, me, &u)
			bookAt := func(service string, slot slotJSON) bookingJSON {
				status, body := sam.PostJSON("/api/v1/appointments", `{"service_id":"`+service+`","practitioner_id":"1","start":"`+slot.Start.Format(time.RFC3339)+`"}`)
				var b bookingJSON
				decode(t, body, &b)
				if status != 201 {
					t.Fatalf("book = %d %s", status, body)
				}
				return b
			}
			followUps := slotsOf(t, sam, "service=2&practitioner=1&"+window(14))
			bookAt("1", slotsOf(t, sam, "service=1&practitioner=1&"+window(14))[0])
			followUp := bookAt("2", followUps[len(followUps)-1])
			cancelled := bookAt("2", followUps[len(followUps)-8])
			if status, _ := sam.PostJSON("/api/v1/appointments/"+cancelled.ID+"/cancel", `{}`); status != 200 {
				t.Fatal("cancel")
			}
			if status, body := amira.PostJSON("/api/v1/care-plans", samplePlanBody(u.PatientID)); status != 201 {
				t.Fatalf("plan = %d %s", status, body)
			}
			if status, body := sam.Do2("PUT", "/api/v1/patients/"+u.PatientID+"/reminders", `{"daily":true,"hour":0,"outcome_requests":true}`); status != 200 {
				t.Fatalf("reminders = %d %s", status, body)
			}
			find := func(prefix string) []string {
				var out []string
				subjects, bodies := box.Subjects(), box.Bodies()
				for i, s := range subjects {
					if strings.HasPrefix(s, prefix) {
						out = append(out, bodies[i])
					}
				}
				return out
			}
			waitFor(t, "the reminder and the questionnaire", func() bool {
				return len(find("Your exercises for today")) >= 1 && len(find("Before your appointment")) >= 1
			})
			// More rounds of every process's sweeper and workers: nothing more.
			time.Sleep(300 * time.Millisecond)
			reminders, requests := find("Your exercises for today"), find("Before your appointment")
			if len(reminders) != 1 || len(requests) != 1 {
				t.Fatalf("%d reminders and %d questionnaires, want 1 and 1: %q", len(reminders), len(requests), box.Subjects())
			}
			for id, n := range box.Counts() {
				if n != 1 {
					t.Errorf("%s delivered %d times", id, n)
				}
			}
			when := followUp.Start.In(london(t)).Format("Monday 2 January at 15:04 MST")
			if !strings.Contains(requests[0], when) {
				t.Errorf("the questionnaire is not about the follow-up at %s:\n%s", when, requests[0])
			}
			var n int
			db := tdb.raw(t)
			db.QueryRow(`SELECT COUNT(*) FROM outcome_requests WHERE booking_id = $1`, cancelled.ID).Scan(&n)
			if n != 0 {
				t.Errorf("the cancelled follow-up has a questionnaire")
			}
			db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind IN ('plan_reminder', 'outcome_request')`).Scan(&n)
			if n != 2 {
				t.Errorf("%d plan emails in the outbox, want 2", n)
			}

			// The questionnaire's link, without signing in.
			anon := app.Client(t)
			link := requestLinkRE.FindStringSubmatch(requests[0])[1]
			if status, page := anon.Get("/outcomes/request/" + link); status != 200 || !strings.Contains(page, "How is your back?") || !strings.Contains(page, "psfs.0.activity") {
				t.Fatalf("questionnaire page = %d", status)
			}
			form := url.Values{"pain_now": {"11"}}
			if status, page, _ := anon.PostForm("/outcomes/request/"+link, form); status != 422 || !strings.Contains(page, "needs a number from 0 to 10") {
				t.Errorf("pain 11 = %d", status)
			}
			form = url.Values{"pain_now": {"3"}, "psfs.0.activity": {"Sitting through a film"}, "psfs.0.score": {"6"}}
			if status, page, _ := anon.PostForm("/outcomes/request/"+link, form); status != 200 || !strings.Contains(page, "Thank you") {
				t.Errorf("answer = %d", status)
			}
			if status, page, _ := anon.PostForm("/outcomes/request/"+link, form); status != 409 || !strings.Contains(page, "already been answered") {
				t.Errorf("answering twice = %d", status)
			}
			_, body := sam.Get("/api/v1/patients/" + u.PatientID + "/outcomes")
			var h struct {
				Outcomes []struct {
					Measure   string
					BookingID string `json:"booking_id"`
				}
			}
			decode(t, body, &h)
			if len(h.Outcomes) != 2 || h.Outcomes[0].BookingID != followUp.ID {
				t.Errorf("outcomes after the questionnaire = %s", body)
			}

			// The reminder's stop link, without signing in.
			stop := stopLinkRE.FindStringSubmatch(reminders[0])[1]
			if status, page := anon.Get("/emails/stop/" + stop); status != 200 || !strings.Contains(page, "the daily reminder of your exercises") {
				t.Errorf("stop page = %d", status)
			}
			if status, page, _ := anon.PostForm("/emails/stop/"+stop, nil); status != 200 || !strings.Contains(page, "You will not get the daily reminder") {
				t.Errorf("stop = %d", status)
			}
			if status, _ := anon.Get("/emails/stop/" + stop[:len(stop)-3] + "abc"); status != 404 {
				t.Errorf("a forged stop link = %d", status)
			}
			_, body = sam.Get("/api/v1/patients/" + u.PatientID + "/reminders")
			if !strings.Contains(body, `"daily":false`) {
				t.Errorf("settings after stopping = %s", body)
			}
			// The questionnaires stop too; a new follow-up then brings none.
			stop = stopLinkRE.FindStringSubmatch(requests[0])[1]
			if status, _, _ := anon.PostForm("/emails/stop/"+stop, nil); status != 200 {
				t.Errorf("stop the questionnaires = %d", status)
			}
			another := bookAt("2", followUps[len(followUps)-4])
			time.Sleep(300 * time.Millisecond)
			db.QueryRow(`SELECT COUNT(*) FROM outcome_requests WHERE booking_id = $1`, another.ID).Scan(&n)
			if n != 0 || len(find("Before your appointment")) != 1 {
				t.Errorf("a questionnaire after the patient stopped them")
			}
			// Erasure: the email settings and questionnaires go, so the links
			// in the emails lead nowhere; the plan stays, a clinical record
			// (read here by the desk: the erasure cancelled every appointment
			// to come, which were all the patient had with Amira).
			if status, body := sam.Do2("DELETE", "/api/v1/me", `{"password":"`+DemoPassword+`"}`); status != 204 {
				t.Fatalf("erase = %d %s", status, body)
			}
			stop = stopLinkRE.FindStringSubmatch(reminders[0])[1]
			if status, _ := anon.Get("/emails/stop/" + stop); status != 404 {
				t.Errorf("the stop link after erasure = %d, want 404", status)
			}
			if status, _ := anon.Get("/outcomes/request/" + link); status != 404 {
				t.Errorf("the questionnaire link after erasure = %d, want 404", status)
			}
			for _, table := range []string{"reminder_settings", "plan_reminders_sent", "outcome_requests"} {
				db.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE patient_id = $1`, u.PatientID).Scan(&n)
				if n != 0 {
					t.Errorf("%d rows of %s survive the erasure", n, table)
				}
			}
			db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind IN ('plan_reminder', 'outcome_request')`).Scan(&n)
			if n != 0 {
				t.Errorf("%d plan emails survive the erasure", n)
			}
			desk := apps[0].Client(t)
			desk.Login("reception@riverside.example")
			if status, body := desk.Get("/api/v1/patients/" + u.PatientID + "/care-plan"); status != 200 || strings.Contains(body, "Sam Taylor") {
				t.Errorf("the plan after erasure = %d %s", status, body)
			}
		})
	}
}
