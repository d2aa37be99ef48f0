package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"backdesk"
)

// samplePlan is a plan for patient by practitioner, with one exercise.
func samplePlan(patientID, practitionerID int64, exercises ...string) *backdesk.CarePlan {
	target := 20.0
	v := &backdesk.CarePlanVersion{Problem: "Low back pain for six weeks, worse sitting.", AuthorID: practitionerID,
		Goals:    []backdesk.Goal{{Text: "Oswestry under 20", Measure: backdesk.MeasureODI, Target: &target, By: backdesk.Date{Year: 2027, Month: 3, Day: 1}}},
		Sessions: []backdesk.PlannedSession{{Discipline: backdesk.DisciplinePhysiotherapist, Count: 6, EveryWeeks: 2}}}
	for _, id := range exercises {
		v.Exercises = append(v.Exercises, backdesk.PlanExercise{ExerciseID: id, ExerciseVersion: "2026.1",
			Dosage:   backdesk.Dosage{Sets: 3, Reps: 10, TimesPerDay: 2},
			Exercise: &backdesk.Exercise{ID: id, Name: "not stored"}})
	}
	return &backdesk.CarePlan{PatientID: patientID, PractitionerID: practitionerID, Current: v}
}

func mustPlan(t *testing.T, s backdesk.Store, f bookingFixture, exercises ...string) *backdesk.CarePlan {
	t.Helper()
	p := samplePlan(f.patient.PatientID, f.physio.ID, exercises...)
	must(t, s.InsertCarePlan(context.Background(), p, nil))
	return p
}

// testCarePlanVersions: a plan is stored with its first version; a change
// is the next version and becomes current, older versions stay as they
// were; a change based on an old version is refused; one plan per patient.
func testCarePlanVersions(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	audit := backdesk.NewAuditEntry(backdesk.Actor{UserID: 9, Role: backdesk.RolePractitioner}, backdesk.AuditCarePlanCreate, f.patient.PatientID, "care_plan", "")
	p := samplePlan(f.patient.PatientID, f.physio.ID, "bridge")
	must(t, s.InsertCarePlan(ctx, p, audit))
	if p.ID == 0 || p.Current.Version != 1 || p.Current.PlanID != p.ID || p.CreatedAt.IsZero() {
		t.Fatalf("InsertCarePlan = %+v %+v", p, p.Current)
	}
	if lines, _, _ := s.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: f.patient.PatientID}); len(lines) != 1 || lines[0].ResourceID == "" {
		t.Errorf("audit of the new plan = %+v", lines)
	}
	wantCode(t, s.InsertCarePlan(ctx, samplePlan(f.patient.PatientID, f.other.ID), nil), backdesk.CodeConflict)

	got, err := s.FindCarePlanByID(ctx, p.ID)
	must(t, err)
	if got.PatientID != f.patient.PatientID || got.PatientName != f.patient.Name || got.Current.Version != 1 || got.Current.AuthorName != "P One" ||
		len(got.Current.Exercises) != 1 || got.Current.Exercises[0].Exercise != nil || got.Current.Exercises[0].Dosage.Reps != 10 ||
		len(got.Current.Goals) != 1 || *got.Current.Goals[0].Target != 20 || got.Current.Goals[0].By.String() != "2027-03-01" {
		t.Errorf("FindCarePlanByID = %+v %+v", got, got.Current)
	}

	v2 := *got.Current
	v2.Exercises = []backdesk.PlanExercise{{ExerciseID: "bridge", ExerciseVersion: "2026.1", Dosage: backdesk.Dosage{Sets: 3, Reps: 12, TimesPerDay: 1}}}
	v2.ChangeNote, v2.AuthorID = "Fewer, harder.", f.other.ID
	must(t, s.InsertCarePlanVersion(ctx, &v2, 1, nil))
	if v2.Version != 2 {
		t.Errorf("second version numbered %d", v2.Version)
	}
	stale := *got.Current
	wantCode(t, s.InsertCarePlanVersion(ctx, &stale, 1, nil), backdesk.CodeConflict)
	byPatient, err := s.FindCarePlanByPatient(ctx, f.patient.PatientID)
	must(t, err)
	if byPatient.ID != p.ID || byPatient.Current.Version != 2 || byPatient.Current.Exercises[0].Dosage.Reps != 12 || byPatient.Current.AuthorName != "P Two" {
		t.Errorf("current after the change = %+v", byPatient.Current)
	}
	versions, err := s.FindCarePlanVersions(ctx, p.ID)
	must(t, err)
	if len(versions) != 2 || versions[0].Version != 1 || versions[0].Exercises[0].Dosage.Reps != 10 || versions[1].ChangeNote != "Fewer, harder." {
		t.Errorf("versions = %+v", versions)
	}
	_, err = s.FindCarePlanByID(ctx, 99999)
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.FindCarePlanByPatient(ctx, 99999)
	wantCode(t, err, backdesk.CodeNotFound)
}

// testCarePlanConcurrentChanges: ten practitioners change version 1 at once;
// exactly one makes version 2, the others are told it moved on.
func testCarePlanConcurrentChanges(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	p := mustPlan(t, s, f, "bridge")
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			v := *p.Current
			v.Problem = "Changed by writer " + string(rune('A'+i))
			errs[i] = s.InsertCarePlanVersion(ctx, &v, 1, nil)
		})
	}
	wg.Wait()
	if ok := successes(t, errs, backdesk.CodeConflict); ok != 1 {
		t.Errorf("%d changes of version 1 succeeded, want 1", ok)
	}
	versions, err := s.FindCarePlanVersions(ctx, p.ID)
	must(t, err)
	if len(versions) != 2 {
		t.Errorf("%d versions, want 2", len(versions))
	}
}

// testExerciseLogs: a log is stored against the current version only, for
// the plan's own patient, at most perDay a day; the rest are refused and
// store nothing.
func testExerciseLogs(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	p := mustPlan(t, s, f, "bridge", "clam")
	other := mustPatient(t, s, "other-logger@example.org")
	now := time.Now()
	dayStart, dayEnd := now.Add(-time.Hour), now.Add(time.Hour)
	logOf := func(version int, patientID int64, ex string) *backdesk.ExerciseLog {
		pain := 3
		return &backdesk.ExerciseLog{PlanID: p.ID, Version: version, PatientID: patientID, ExerciseID: ex, Pain: &pain}
	}
	first := logOf(1, f.patient.PatientID, "bridge")
	must(t, s.InsertExerciseLog(ctx, first, dayStart, dayEnd, 2, nil))
	if first.ID == 0 || first.DoneAt.IsZero() {
		t.Fatalf("InsertExerciseLog = %+v", first)
	}
	must(t, s.InsertExerciseLog(ctx, logOf(1, f.patient.PatientID, "bridge"), dayStart, dayEnd, 2, nil))
	wantCode(t, s.InsertExerciseLog(ctx, logOf(1, f.patient.PatientID, "bridge"), dayStart, dayEnd, 2, nil), backdesk.CodeConflict) // the third today
	wantCode(t, s.InsertExerciseLog(ctx, logOf(1, other.PatientID, "clam"), dayStart, dayEnd, 2, nil), backdesk.CodeNotFound)       // not their plan
	wantCode(t, s.InsertExerciseLog(ctx, logOf(2, f.patient.PatientID, "clam"), dayStart, dayEnd, 2, nil), backdesk.CodeConflict)   // no such version yet
	v2 := *p.Current
	must(t, s.InsertCarePlanVersion(ctx, &v2, 1, nil))
	wantCode(t, s.InsertExerciseLog(ctx, logOf(1, f.patient.PatientID, "clam"), dayStart, dayEnd, 2, nil), backdesk.CodeConflict) // an old version now
	must(t, s.InsertExerciseLog(ctx, logOf(2, f.patient.PatientID, "clam"), dayStart, dayEnd, 2, nil))
	wantCode(t, s.InsertExerciseLog(ctx, &backdesk.ExerciseLog{PlanID: 99999, Version: 1, PatientID: f.patient.PatientID, ExerciseID: "clam"}, dayStart, dayEnd, 2, nil), backdesk.CodeNotFound)

	logs, err := s.FindExerciseLogs(ctx, p.ID, now.Add(-24*time.Hour), now.Add(24*time.Hour))
	must(t, err)
	if len(logs) != 3 || logs[0].ExerciseID != "bridge" || logs[0].Version != 1 || *logs[0].Pain != 3 || logs[2].Version != 2 || logs[2].ExerciseID != "clam" {
		t.Errorf("logs = %+v", logs)
	}
	if later, _ := s.FindExerciseLogs(ctx, p.ID, now.Add(time.Hour), now.Add(2*time.Hour)); len(later) != 0 {
		t.Errorf("logs in a later window = %+v", later)
	}
}

// testExerciseLogRace: twenty "done" at once for an exercise planned twice
// a day: two are stored.
func testExerciseLogRace(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	p := mustPlan(t, s, f, "bridge")
	now := time.Now()
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.InsertExerciseLog(ctx, &backdesk.ExerciseLog{PlanID: p.ID, Version: 1, PatientID: f.patient.PatientID, ExerciseID: "bridge"},
				now.Add(-time.Hour), now.Add(time.Hour), 2, nil)
		})
	}
	wg.Wait()
	if ok := successes(t, errs, backdesk.CodeConflict); ok != 2 {
		t.Errorf("%d logs stored, want 2", ok)
	}
}

// testClinicExercises: a clinic's exercise is kept at every version.
func testClinicExercises(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	e := &backdesk.Exercise{ID: "wall-sit", Name: "Wall sit", Category: backdesk.CategoryHip, Purpose: "Strength.",
		Steps: []string{"Lean on a wall.", "Slide down."}, StopIf: []string{"Pain."}, Dosage: backdesk.Dosage{HoldSeconds: 20, TimesPerDay: 1}}
	must(t, s.InsertExercise(ctx, e, false, nil))
	if e.Version != 1 || !e.Custom {
		t.Fatalf("first version = %d custom %v", e.Version, e.Custom)
	}
	wantCode(t, s.InsertExercise(ctx, e, false, nil), backdesk.CodeInvalid)
	changed := *e
	changed.Steps = []string{"Lean on a wall.", "Slide down a little.", "Hold."}
	must(t, s.InsertExercise(ctx, &changed, true, nil))
	wantCode(t, s.InsertExercise(ctx, &backdesk.Exercise{ID: "nothing"}, true, nil), backdesk.CodeNotFound)
	cur, err := s.FindExercise(ctx, "wall-sit", 0)
	must(t, err)
	old, err := s.FindExercise(ctx, "wall-sit", 1)
	must(t, err)
	if cur.Version != 2 || len(cur.Steps) != 3 || old.Version != 1 || len(old.Steps) != 2 || !cur.Custom {
		t.Errorf("current %+v, first %+v", cur, old)
	}
	list, err := s.FindExercises(ctx)
	must(t, err)
	if len(list) != 1 || list[0].Version != 2 {
		t.Errorf("FindExercises = %+v", list)
	}
	_, err = s.FindExercise(ctx, "wall-sit", 3)
	wantCode(t, err, backdesk.CodeNotFound)
}

// testHomeProgrammeExportAndErase: the export holds the plan with every
// version, the logs, the scores, the email settings and the questionnaires;
// erasure removes the email settings, reminder records and questionnaires
// (whose links then fail) and keeps the clinical records, anonymised.
func testHomeProgrammeExportAndErase(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	p := mustPlan(t, s, f, "bridge")
	v2 := *p.Current
	must(t, s.InsertCarePlanVersion(ctx, &v2, 1, nil))
	now := time.Now()
	must(t, s.InsertExerciseLog(ctx, &backdesk.ExerciseLog{PlanID: p.ID, Version: 2, PatientID: f.patient.PatientID, ExerciseID: "bridge"}, now.Add(-time.Hour), now.Add(time.Hour), 2, nil))
	must(t, s.InsertOutcomes(ctx, []*backdesk.Outcome{{PatientID: f.patient.PatientID, Measure: backdesk.MeasurePain, Value: 5, Source: backdesk.SourceFollowUp}}, nil))
	must(t, s.UpsertReminderSettings(ctx, &backdesk.ReminderSettings{PatientID: f.patient.PatientID, Daily: true, Hour: 9, OutcomeRequests: true}, nil))
	if _, err := s.InsertPlanReminder(ctx, f.patient.PatientID, backdesk.DateOf(now), &backdesk.OutboxMessage{Kind: "plan_reminder", To: f.patient.Email, Subject: "s", Body: "b"}, nil); err != nil {
		t.Fatal(err)
	}
	b := f.mustBook(t, s, f.physio, now.Add(20*time.Hour).Truncate(time.Minute))
	if _, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: b.ID, PatientID: f.patient.PatientID},
		&backdesk.OutboxMessage{Kind: "outcome_request", To: f.patient.Email, Subject: "s", Body: "b"}, nil); err != nil {
		t.Fatal(err)
	}

	pd, err := s.ExportPersonalData(ctx, f.patient.ID)
	must(t, err)
	if len(pd.CarePlans) != 1 || pd.CarePlans[0].ID != p.ID || len(pd.CarePlanVersions) != 2 || len(pd.ExerciseLogs) != 1 || len(pd.Outcomes) != 1 ||
		pd.ReminderSettings == nil || !pd.ReminderSettings.Daily || len(pd.OutcomeRequests) != 1 {
		t.Fatalf("export = plans %d, versions %d, logs %d, outcomes %d, settings %+v, requests %d", len(pd.CarePlans), len(pd.CarePlanVersions),
			len(pd.ExerciseLogs), len(pd.Outcomes), pd.ReminderSettings, len(pd.OutcomeRequests))
	}

	_, err = s.EraseUser(ctx, f.patient.ID, nil)
	must(t, err)
	if st, _ := s.FindReminderSettings(ctx, f.patient.PatientID); st.Daily || !st.UpdatedAt.IsZero() {
		t.Errorf("the email settings survive erasure: %+v", st)
	}
	if daily, _ := s.FindDailyReminderSettings(ctx, backdesk.Date{Year: 2026, Month: 11, Day: 23}); len(daily) != 0 {
		t.Errorf("an erased patient is still due reminders: %+v", daily)
	}
	_, err = s.FindOutcomeRequest(ctx, b.ID)
	wantCode(t, err, backdesk.CodeNotFound)
	// A sweep that chose the patient before the erasure committed writes
	// nothing after it: no reminder, no questionnaire, no email.
	if ok, err := s.InsertPlanReminder(ctx, f.patient.PatientID, backdesk.DateOf(now).AddDays(1), &backdesk.OutboxMessage{Kind: "plan_reminder", To: "late@example.org", Subject: "s", Body: "b"}, nil); err != nil || ok {
		t.Errorf("a reminder after erasure: written %v, %v", ok, err)
	}
	if ok, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: b.ID, PatientID: f.patient.PatientID},
		&backdesk.OutboxMessage{Kind: "outcome_request", To: "late@example.org", Subject: "s", Body: "b"}, nil); err != nil || ok {
		t.Errorf("a questionnaire after erasure: written %v, %v", ok, err)
	}
	if msgs, _, _ := s.FindOutboxMessages(ctx, backdesk.Page{}); slices.ContainsFunc(msgs, func(m *backdesk.OutboxMessage) bool { return m.To == "late@example.org" }) {
		t.Errorf("an email to the erased patient was written after the erasure")
	}
	kept, err := s.FindCarePlanByID(ctx, p.ID)
	must(t, err)
	if kept.PatientID != f.patient.PatientID || kept.PatientName == f.patient.Name || kept.Current.Version != 2 {
		t.Errorf("the plan after erasure = %+v", kept)
	}
	if o, _ := s.FindOutcomes(ctx, f.patient.PatientID); len(o) != 1 {
		t.Errorf("the scores after erasure = %+v", o)
	}
	if l, _ := s.FindExerciseLogs(ctx, p.ID, now.Add(-time.Hour), now.Add(time.Hour)); len(l) != 1 {
		t.Errorf("the logs after erasure = %+v", l)
	}
}
