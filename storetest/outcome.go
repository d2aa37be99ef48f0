package storetest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"backdesk"
)

// testOutcomeSeries: outcomes are stored together or not at all and read
// back as a series, oldest first, with their detail; the database refuses
// a score out of its measure's range.
func testOutcomeSeries(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "scores@example.org")
	other := mustPatient(t, s, "other-scores@example.org")
	first := []*backdesk.Outcome{
		{PatientID: u.PatientID, Measure: backdesk.MeasurePain, Value: 7, Source: backdesk.SourceClinic, RecordedBy: 3},
		{PatientID: u.PatientID, Measure: backdesk.MeasurePSFS, Value: 3.5, Source: backdesk.SourceClinic,
			Activities: []backdesk.PSFSActivity{{Activity: "Sitting through a film", Score: 3}, {Activity: "Lifting my son", Score: 4}}},
		{PatientID: u.PatientID, Measure: backdesk.MeasureStartBack, Value: 5, Risk: "medium", Source: backdesk.SourceClinic, Answers: json.RawMessage(`{"leg_pain":true}`)},
	}
	must(t, s.InsertOutcomes(ctx, first, nil))
	for _, o := range first {
		if o.ID == 0 || o.RecordedAt.IsZero() {
			t.Fatalf("InsertOutcomes did not fill %+v", o)
		}
	}
	must(t, s.InsertOutcomes(ctx, []*backdesk.Outcome{{PatientID: other.PatientID, Measure: backdesk.MeasurePain, Value: 2, Source: backdesk.SourceFollowUp}}, nil))
	must(t, s.InsertOutcomes(ctx, []*backdesk.Outcome{{PatientID: u.PatientID, Measure: backdesk.MeasurePain, Value: 4, Source: backdesk.SourceFollowUp}}, nil))
	// One bad score: none of the filling-in is stored.
	bad := []*backdesk.Outcome{
		{PatientID: u.PatientID, Measure: backdesk.MeasurePain, Value: 3, Source: backdesk.SourceFollowUp},
		{PatientID: u.PatientID, Measure: backdesk.MeasureODI, Value: 140, Source: backdesk.SourceFollowUp},
	}
	wantCode(t, s.InsertOutcomes(ctx, bad, nil), backdesk.CodeInvalid)
	wantCode(t, s.InsertOutcomes(ctx, []*backdesk.Outcome{{PatientID: u.PatientID, Measure: "mood", Value: 3, Source: backdesk.SourceClinic}}, nil), backdesk.CodeInvalid)

	got, err := s.FindOutcomes(ctx, u.PatientID)
	must(t, err)
	if len(got) != 4 {
		t.Fatalf("%d outcomes, want 4: %+v", len(got), got)
	}
	if got[0].Measure != backdesk.MeasurePain || got[0].Value != 7 || got[0].RecordedBy != 3 || got[3].Value != 4 || got[3].Source != backdesk.SourceFollowUp ||
		got[1].Value != 3.5 || len(got[1].Activities) != 2 || got[1].Activities[1].Activity != "Lifting my son" ||
		got[2].Risk != "medium" || string(got[2].Answers) != `{"leg_pain":true}` {
		t.Errorf("FindOutcomes = %+v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].RecordedAt.Before(got[i-1].RecordedAt) {
			t.Errorf("not oldest first: %v before %v", got[i].RecordedAt, got[i-1].RecordedAt)
		}
	}
}

// testOutcomeRequests: one request per booking however many sweeps write
// it at once, its email linked to the booking (a cancellation drops it);
// answered once.
func testOutcomeRequests(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	start := time.Now().Add(20 * time.Hour).Truncate(time.Minute)
	b := f.mustBook(t, s, f.physio, start)
	later := f.mustBook(t, s, f.physio, start.Add(48*time.Hour))
	due, err := s.FindBookingsStarting(ctx, time.Now(), time.Now().Add(24*time.Hour))
	must(t, err)
	if len(due) != 1 || due[0].ID != b.ID {
		t.Fatalf("FindBookingsStarting = %+v, want booking %d", due, b.ID)
	}
	created := make([]bool, 10)
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range created {
		wg.Go(func() {
			msg := &backdesk.OutboxMessage{Kind: string(backdesk.EmailOutcomeRequest), To: f.patient.Email, Subject: "Before tomorrow", Body: "link"}
			audit := backdesk.NewAuditEntry(backdesk.SystemActor("outcome_requests"), backdesk.AuditOutcomeRequest, f.patient.PatientID, "outcome_request", "")
			created[i], errs[i] = s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: b.ID, PatientID: f.patient.PatientID}, msg, audit)
		})
	}
	wg.Wait()
	n := 0
	for i := range created {
		must(t, errs[i])
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d requests written for one booking, want 1", n)
	}
	msgs, _, err := s.FindOutboxMessages(ctx, backdesk.Page{})
	must(t, err)
	if len(msgs) != 1 || msgs[0].BookingID != b.ID || msgs[0].Kind != "outcome_request" {
		t.Errorf("outbox = %+v", msgs)
	}
	if lines, _, _ := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditOutcomeRequest}); len(lines) != 1 || lines[0].ActorName != "outcome_requests" {
		t.Errorf("audit of the requests = %+v", lines)
	}
	if due, _ := s.FindBookingsStarting(ctx, time.Now(), time.Now().Add(24*time.Hour)); len(due) != 0 {
		t.Errorf("a booking with a request is still due: %+v", due)
	}
	r, err := s.FindOutcomeRequest(ctx, b.ID)
	must(t, err)
	if r.PatientID != f.patient.PatientID || !r.AppointmentStart.Equal(start) || r.AnsweredAt != nil {
		t.Errorf("FindOutcomeRequest = %+v", r)
	}
	answer := func() error {
		return s.AnswerOutcomeRequest(ctx, b.ID, []*backdesk.Outcome{{PatientID: f.patient.PatientID, Measure: backdesk.MeasurePain, Value: 3,
			Source: backdesk.SourceFollowUp, BookingID: b.ID}}, nil)
	}
	must(t, answer())
	wantCode(t, answer(), backdesk.CodeConflict)
	if got, _ := s.FindOutcomes(ctx, f.patient.PatientID); len(got) != 1 || got[0].BookingID != b.ID {
		t.Errorf("outcomes after answering twice = %+v", got)
	}
	_, err = s.FindOutcomeRequest(ctx, later.ID)
	wantCode(t, err, backdesk.CodeNotFound)

	// The request's email goes with its booking's cancellation.
	msg := &backdesk.OutboxMessage{Kind: "outcome_request", To: f.patient.Email, Subject: "s", Body: "b", SendAfter: time.Now().Add(time.Hour)}
	if ok, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: later.ID, PatientID: f.patient.PatientID}, msg, nil); err != nil || !ok {
		t.Fatalf("request for the later booking: %v %v", ok, err)
	}
	_, err = s.CancelBooking(ctx, later.ID, time.Now(), "", false, nil, nil)
	must(t, err)
	// A sweep that chose a booking before its cancellation writes no
	// request for it afterwards.
	gone := f.mustBook(t, s, f.physio, later.Start.Add(24*time.Hour))
	_, err = s.CancelBooking(ctx, gone.ID, time.Now(), "", false, nil, nil)
	must(t, err)
	again := &backdesk.OutboxMessage{Kind: "outcome_request", To: f.patient.Email, Subject: "s", Body: "b", SendAfter: time.Now().Add(time.Hour)}
	if ok, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: gone.ID, PatientID: f.patient.PatientID}, again, nil); err != nil || ok {
		t.Errorf("a questionnaire for a cancelled appointment: written %v, %v", ok, err)
	}
	msgs, _, _ = s.FindOutboxMessages(ctx, backdesk.Page{})
	for _, m := range msgs {
		if m.BookingID == later.ID && m.Status != backdesk.OutboxDropped {
			t.Errorf("the cancelled booking's questionnaire is %s", m.Status)
		}
	}
}

// testReminders: settings default until saved; today's reminder is written
// once per patient whatever the number of sweeps; switching the reminder
// off drops the one still waiting.
func testReminders(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "reminded@example.org")
	def, err := s.FindReminderSettings(ctx, u.PatientID)
	must(t, err)
	if def.Daily || !def.OutcomeRequests || def.Hour != backdesk.DefaultReminderHour {
		t.Errorf("default settings = %+v", def)
	}
	on := &backdesk.ReminderSettings{PatientID: u.PatientID, Daily: true, Hour: 7, OutcomeRequests: true}
	must(t, s.UpsertReminderSettings(ctx, on, nil))
	got, err := s.FindReminderSettings(ctx, u.PatientID)
	must(t, err)
	if !got.Daily || got.Hour != 7 || got.UpdatedAt.IsZero() {
		t.Errorf("saved settings = %+v", got)
	}
	daily, err := s.FindDailyReminderSettings(ctx, backdesk.Date{Year: 2026, Month: 11, Day: 23})
	must(t, err)
	if len(daily) != 1 || daily[0].PatientID != u.PatientID {
		t.Errorf("FindDailyReminderSettings = %+v", daily)
	}

	day := backdesk.Date{Year: 2026, Month: 11, Day: 24}
	written := make([]bool, 10)
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range written {
		wg.Go(func() {
			msg := &backdesk.OutboxMessage{Kind: string(backdesk.EmailDailyReminder), To: u.Email, Subject: "Today's exercises", Body: "b", SendAfter: time.Now().Add(time.Hour)}
			written[i], errs[i] = s.InsertPlanReminder(ctx, u.PatientID, day, msg, nil)
		})
	}
	wg.Wait()
	n := 0
	for i := range written {
		must(t, errs[i])
		if written[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d reminders written for one day, want 1", n)
	}
	if due, _ := s.FindDailyReminderSettings(ctx, day); len(due) != 0 {
		t.Errorf("still due on the day of its reminder: %+v", due)
	}
	if due, _ := s.FindDailyReminderSettings(ctx, day.AddDays(1)); len(due) != 1 {
		t.Errorf("not due the next day: %+v", due)
	}
	if ok, err := s.InsertPlanReminder(ctx, u.PatientID, day.AddDays(1), &backdesk.OutboxMessage{Kind: "plan_reminder", To: u.Email, Subject: "s", Body: "b"}, nil); err != nil || !ok {
		t.Errorf("the next day's reminder: %v %v", ok, err)
	}
	off := *got
	off.Daily = false
	must(t, s.UpsertReminderSettings(ctx, &off, nil))
	msgs, _, err := s.FindOutboxMessages(ctx, backdesk.Page{})
	must(t, err)
	if len(msgs) != 2 {
		t.Fatalf("outbox = %+v", msgs)
	}
	for _, m := range msgs {
		if m.Status != backdesk.OutboxDropped {
			t.Errorf("a reminder still waits after the patient stopped them: %+v", m)
		}
	}
	if daily, _ := s.FindDailyReminderSettings(ctx, backdesk.Date{Year: 2026, Month: 11, Day: 23}); len(daily) != 0 {
		t.Errorf("still listed for reminders: %+v", daily)
	}
}

// testSigningKey: every caller gets the key stored first.
func testSigningKey(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	keys := make([][]byte, 10)
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = s.SigningKey(ctx, "email-links", []byte{byte(i), 1, 2, 3}) })
	}
	wg.Wait()
	for i := range keys {
		must(t, errs[i])
		if string(keys[i]) != string(keys[0]) || len(keys[i]) != 4 {
			t.Errorf("key %d = %x, key 0 = %x", i, keys[i], keys[0])
		}
	}
	other, err := s.SigningKey(ctx, "another", []byte{9})
	must(t, err)
	if string(other) != "\x09" {
		t.Errorf("another key = %x", other)
	}
}
