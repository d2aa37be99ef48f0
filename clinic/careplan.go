package clinic

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"backdesk"
	"backdesk/progress"
)

// CarePlanService implements backdesk.CarePlanService: practitioners who
// treat a patient write the plan, the patient follows it, the front desk
// reads it; adherence is computed by progress from the versions and the
// logs; planned sessions are booked through the ordinary booking path.
type CarePlanService struct {
	Store     backdesk.CarePlanStore
	Exercises *ExerciseService
	Offerings backdesk.OfferingStore
	Locations backdesk.LocationStore // the clinic's time zone: that of its main location
	// Bookings is the booking service, called as the caller, so that
	// booking from a plan is checked as any booking is.
	Bookings backdesk.BookingService
	Care     CareRelation
	Audit    backdesk.AuditWriter
	Now      func() time.Time
}

var _ backdesk.CarePlanService = (*CarePlanService)(nil)

// longestHorizon is the furthest ahead any location's booking policy offers.
const longestHorizon = backdesk.MaxHorizonDays * 24 * time.Hour

var errNoPlanFound = backdesk.Errorf(backdesk.CodeNotFound, "Treatment plan not found.")

// clinicZone is the time zone of the clinic's main location (UTC without
// one).
func clinicZone(ctx context.Context, locations backdesk.LocationStore) (*time.Location, error) {
	if locations == nil {
		return time.UTC, nil
	}
	ls, err := locations.FindLocations(ctx)
	if err != nil {
		return nil, err
	}
	if l := backdesk.MainLocation(ls); l != nil {
		return l.Zone()
	}
	return time.UTC, nil
}

// CreateCarePlan writes a patient's first plan.
func (s *CarePlanService) CreateCarePlan(ctx context.Context, d backdesk.CarePlanDraft) (*backdesk.CarePlan, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	if d.PatientID == 0 {
		return nil, backdesk.FieldError("patient_id", "patient_id is required: whose plan it is")
	}
	a, err := mayWritePlan(ctx, s.Care, d.PatientID)
	if err != nil {
		return nil, err
	}
	v, err := s.version(ctx, &d, a)
	if err != nil {
		return nil, err
	}
	p := &backdesk.CarePlan{PatientID: d.PatientID, PractitionerID: a.PractitionerID, Current: v}
	if err := s.Store.InsertCarePlan(ctx, p, backdesk.NewAuditEntry(a, backdesk.AuditCarePlanCreate, d.PatientID, "care_plan", "")); err != nil {
		return nil, err
	}
	return s.read(ctx, p.ID)
}

// ChangeCarePlan writes the plan's next version.
func (s *CarePlanService) ChangeCarePlan(ctx context.Context, id int64, d backdesk.CarePlanDraft) (*backdesk.CarePlan, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	p, err := s.Store.FindCarePlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	a, err := mayWritePlan(ctx, s.Care, p.PatientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, errNoPlanFound
	} else if err != nil {
		return nil, err
	}
	if d.PatientID != 0 && d.PatientID != p.PatientID {
		return nil, backdesk.FieldError("patient_id", "a plan stays with its patient")
	}
	v, err := s.version(ctx, &d, a)
	if err != nil {
		return nil, err
	}
	v.PlanID = p.ID
	if err := s.Store.InsertCarePlanVersion(ctx, v, d.BaseVersion, backdesk.NewAuditEntry(a, backdesk.AuditCarePlanChange, p.PatientID, "care_plan", strconv.FormatInt(p.ID, 10))); err != nil {
		return nil, err
	}
	return s.read(ctx, p.ID)
}

// version checks a draft and makes the version it describes: every
// exercise one of the library or the clinic (at its current version when
// the draft names none), every service one of the clinic's and of its
// session's discipline.
func (s *CarePlanService) version(ctx context.Context, d *backdesk.CarePlanDraft, a backdesk.Actor) (*backdesk.CarePlanVersion, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	for i := range d.Exercises {
		if err := s.Exercises.resolve(ctx, &d.Exercises[i], "exercises."+strconv.Itoa(i)); err != nil {
			return nil, err
		}
	}
	for i, ps := range d.Sessions {
		if ps.ServiceID == 0 {
			continue
		}
		o, err := s.Offerings.FindOfferingByID(ctx, ps.ServiceID)
		f := "sessions." + strconv.Itoa(i) + ".service_id"
		switch {
		case backdesk.ErrorCode(err) == backdesk.CodeNotFound:
			return nil, backdesk.FieldError(f, "%s is not one of the clinic's services", f)
		case err != nil:
			return nil, err
		case o.Discipline != ps.Discipline:
			return nil, backdesk.FieldError(f, "%s is a %s's service, not a %s's", o.Name, o.Discipline.Label(), ps.Discipline.Label())
		}
	}
	return &backdesk.CarePlanVersion{Problem: d.Problem, Goals: d.Goals, Sessions: d.Sessions, Exercises: d.Exercises,
		ChangeNote: d.ChangeNote, AuthorID: a.PractitionerID}, nil
}

// read returns a plan with its exercises, for whoever just wrote it.
func (s *CarePlanService) read(ctx context.Context, id int64) (*backdesk.CarePlan, error) {
	p, err := s.Store.FindCarePlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, s.Exercises.resolveAll(ctx, p.Current)
}

// readable loads plan id if the actor may see it, and audits the read as
// action.
func (s *CarePlanService) readable(ctx context.Context, id int64, action backdesk.AuditAction) (*backdesk.CarePlan, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.FindCarePlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := mayReadPatient(ctx, s.Care, a, p.PatientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoPlanFound
	}
	if err := auditRead(ctx, s.Audit, action, p.PatientID, "care_plan", strconv.FormatInt(p.ID, 10)); err != nil {
		return nil, err
	}
	return p, s.Exercises.resolveAll(ctx, p.Current)
}

// FindCarePlanByID returns the plan with its current version.
func (s *CarePlanService) FindCarePlanByID(ctx context.Context, id int64) (*backdesk.CarePlan, error) {
	return s.readable(ctx, id, backdesk.AuditCarePlanRead)
}

// FindCarePlanForPatient returns a patient's plan.
func (s *CarePlanService) FindCarePlanForPatient(ctx context.Context, patientID int64) (*backdesk.CarePlan, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if ok, err := mayReadPatient(ctx, s.Care, a, patientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoPlanFound
	}
	p, err := s.Store.FindCarePlanByPatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditCarePlanRead, patientID, "care_plan", strconv.FormatInt(p.ID, 10)); err != nil {
		return nil, err
	}
	return p, s.Exercises.resolveAll(ctx, p.Current)
}

// FindCarePlanVersions lists every version with its exercises.
func (s *CarePlanService) FindCarePlanVersions(ctx context.Context, id int64) ([]*backdesk.CarePlanVersion, error) {
	p, err := s.readable(ctx, id, backdesk.AuditCarePlanRead)
	if err != nil {
		return nil, err
	}
	return s.versions(ctx, p)
}

func (s *CarePlanService) versions(ctx context.Context, p *backdesk.CarePlan) ([]*backdesk.CarePlanVersion, error) {
	vs, err := s.Store.FindCarePlanVersions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if err := s.Exercises.resolveAll(ctx, v); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// DiffCarePlan says what changed from one version to another; to 0 is the
// current version and from 0 the one before it.
func (s *CarePlanService) DiffCarePlan(ctx context.Context, id int64, from, to int) (*backdesk.PlanDiff, error) {
	p, err := s.readable(ctx, id, backdesk.AuditCarePlanRead)
	if err != nil {
		return nil, err
	}
	vs, err := s.versions(ctx, p)
	if err != nil {
		return nil, err
	}
	if to == 0 {
		to = len(vs)
	}
	if from == 0 {
		from = max(to-1, 1)
	}
	switch {
	case to < 1 || to > len(vs):
		return nil, backdesk.FieldError("to", "to must be a version of the plan, 1 to %d", len(vs))
	case from < 1 || from > len(vs):
		return nil, backdesk.FieldError("from", "from must be a version of the plan, 1 to %d", len(vs))
	}
	a, b := vs[from-1], vs[to-1]
	return &backdesk.PlanDiff{PlanID: p.ID, From: from, To: to, Note: b.ChangeNote, Changes: backdesk.DiffCarePlanVersions(a, b)}, nil
}

// today is the clinic's date now, with the instants its day starts and
// ends.
func (s *CarePlanService) today(ctx context.Context) (backdesk.Date, time.Time, time.Time, *time.Location, error) {
	tz, err := clinicZone(ctx, s.Locations)
	if err != nil {
		return backdesk.Date{}, time.Time{}, time.Time{}, nil, err
	}
	d := backdesk.DateOf(s.Now().In(tz))
	return d, d.Start(tz), d.AddDays(1).Start(tz), tz, nil
}

// LogExercise records "done" against the current version of the patient's
// own plan.
func (s *CarePlanService) LogExercise(ctx context.Context, planID int64, r backdesk.ExerciseLogRequest) (*backdesk.ExerciseLog, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	p, err := s.Store.FindCarePlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	a, err := mayFollowPlan(ctx, s.Care, p.PatientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, errNoPlanFound
	} else if err != nil {
		return nil, err
	}
	switch {
	case r.Version < 1:
		return nil, backdesk.FieldError("version", "version is required: the version of the plan you were shown")
	case r.Pain != nil && (*r.Pain < 0 || *r.Pain > 10):
		return nil, backdesk.FieldError("pain", "pain must be an integer from 0 to 10")
	case r.Version != p.Current.Version:
		return nil, backdesk.Errorf(backdesk.CodeConflict, "Your plan has changed since you opened it (it is now version %d): open it again to see today's exercises.", p.Current.Version)
	}
	var planned *backdesk.PlanExercise
	for i := range p.Current.Exercises {
		if p.Current.Exercises[i].ExerciseID == r.ExerciseID {
			planned = &p.Current.Exercises[i]
		}
	}
	if planned == nil {
		return nil, backdesk.FieldError("exercise_id", "%q is not an exercise of your plan", r.ExerciseID)
	}
	_, start, end, _, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	l := &backdesk.ExerciseLog{PlanID: p.ID, Version: r.Version, PatientID: p.PatientID, ExerciseID: r.ExerciseID, Pain: r.Pain}
	if err := s.Store.InsertExerciseLog(ctx, l, start, end, max(planned.Dosage.TimesPerDay, 1),
		backdesk.NewAuditEntry(a, backdesk.AuditExerciseLog, p.PatientID, "exercise_log", "")); err != nil {
		return nil, err
	}
	return l, nil
}

// FindExerciseLogs lists the plan's logs done in [from, to).
func (s *CarePlanService) FindExerciseLogs(ctx context.Context, planID int64, from, to time.Time) ([]*backdesk.ExerciseLog, error) {
	p, err := s.readable(ctx, planID, backdesk.AuditExerciseLogRead)
	if err != nil {
		return nil, err
	}
	if to.IsZero() {
		to = s.Now().Add(time.Minute)
	}
	return s.Store.FindExerciseLogs(ctx, p.ID, from, to)
}

// MaxAdherenceWeeks bounds how many weeks one call computes.
const MaxAdherenceWeeks = 52

// Adherence computes the plan's last weeks through today.
func (s *CarePlanService) Adherence(ctx context.Context, planID int64, weeks int) (*backdesk.Adherence, error) {
	p, err := s.readable(ctx, planID, backdesk.AuditExerciseLogRead)
	if err != nil {
		return nil, err
	}
	if weeks < 1 || weeks > MaxAdherenceWeeks {
		return nil, backdesk.FieldError("weeks", "weeks must be from 1 to %d", MaxAdherenceWeeks)
	}
	ad, _, err := s.adherence(ctx, p, weeks)
	return ad, err
}

// adherence computes weeks of p through today, and returns its logs too.
func (s *CarePlanService) adherence(ctx context.Context, p *backdesk.CarePlan, weeks int) (*backdesk.Adherence, []*backdesk.ExerciseLog, error) {
	today, _, end, tz, err := s.today(ctx)
	if err != nil {
		return nil, nil, err
	}
	from := today.Monday().AddDays(-7 * (weeks - 1))
	vs, err := s.versions(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	logs, err := s.Store.FindExerciseLogs(ctx, p.ID, time.Time{}, end)
	if err != nil {
		return nil, nil, err
	}
	return &backdesk.Adherence{PlanID: p.ID, PatientID: p.PatientID, Through: today,
		Weeks: progress.Adherence(vs, logs, tz, from, today)}, logs, nil
}

// AdherenceSummary is this week so far and last week, and when the patient
// last did an exercise.
func (s *CarePlanService) AdherenceSummary(ctx context.Context, patientID int64) (*backdesk.AdherenceSummary, error) {
	p, err := s.FindCarePlanForPatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	ad, logs, err := s.adherence(ctx, p, 2)
	if err != nil {
		return nil, err
	}
	sum := &backdesk.AdherenceSummary{PlanID: p.ID, PatientID: p.PatientID, Version: p.Current.Version, ThisWeek: ad.Weeks[1]}
	if ad.Weeks[0].InPlan {
		last := ad.Weeks[0]
		sum.LastWeek = &last
	}
	if n := len(logs); n > 0 {
		t := logs[n-1].DoneAt
		sum.LastDone = &t
	}
	return sum, nil
}

// BookPlannedSessions books a planned course one appointment at a time
// through the booking service, as the caller: each is checked as any
// booking is (who may book for the patient, free times, notice). A time
// that cannot be booked is reported with the reason and the rest go on.
func (s *CarePlanService) BookPlannedSessions(ctx context.Context, planID int64, r backdesk.PlanBookingRequest) (*backdesk.PlanBookingResult, error) {
	p, err := s.readable(ctx, planID, backdesk.AuditCarePlanRead)
	if err != nil {
		return nil, err
	}
	switch {
	case len(p.Current.Sessions) == 0:
		return nil, backdesk.FieldError("session", "this plan has no planned sessions to book yet: the practitioner adds them to the plan")
	case r.Session < 0 || r.Session >= len(p.Current.Sessions):
		return nil, backdesk.FieldError("session", "session must be one of the plan's sessions, from 0 to %d", len(p.Current.Sessions)-1)
	}
	ps := p.Current.Sessions[r.Session]
	serviceID := r.ServiceID
	if serviceID == 0 {
		serviceID = ps.ServiceID
	}
	if serviceID == 0 {
		return nil, backdesk.FieldError("service_id", "service_id is required: the plan names no service for these sessions")
	}
	o, err := s.Offerings.FindOfferingByID(ctx, serviceID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && o.Discipline != ps.Discipline {
		return nil, backdesk.FieldError("service_id", "service_id must be a %s's service, as the plan's sessions are", ps.Discipline.Label())
	} else if err != nil {
		return nil, err
	}
	n := r.Count
	if n == 0 {
		n = ps.Count
	}
	switch {
	case n < 1 || n > ps.Count:
		return nil, backdesk.FieldError("count", "count must be from 1 to the %d sessions planned", ps.Count)
	case r.Start.IsZero():
		return nil, backdesk.FieldError("start", "start is required: the time of the first appointment")
	case r.Start.After(s.Now().Add(longestHorizon)):
		// No clinic offers a time this far ahead; and a course from a time
		// near the year 9999 would run past what an answer can write.
		return nil, backdesk.FieldError("start", "start is further ahead than the clinic books (at most %d days)", backdesk.MaxHorizonDays)
	case r.PractitionerID == 0:
		return nil, backdesk.FieldError("practitioner_id", "practitioner_id is required")
	}
	tz, err := clinicZone(ctx, s.Locations)
	if err != nil {
		return nil, err
	}
	first := r.Start.In(tz)
	out := &backdesk.PlanBookingResult{Booked: []*backdesk.Booking{}, NotBooked: []backdesk.PlanBookingMiss{}}
	for k := range n {
		// The same wall-clock time, ps.EveryWeeks weeks on: across a change
		// of the clocks it stays 10:00, not 09:00 or 11:00.
		start := time.Date(first.Year(), first.Month(), first.Day()+7*ps.EveryWeeks*k, first.Hour(), first.Minute(), 0, 0, tz)
		b, err := s.Bookings.CreateBooking(ctx, backdesk.BookingRequest{ServiceID: serviceID, PractitionerID: r.PractitionerID, Start: start, PatientID: p.PatientID})
		switch code := backdesk.ErrorCode(err); {
		case err == nil:
			out.Booked = append(out.Booked, b)
		case errors.Is(err, backdesk.ErrRecordClosed):
			// Nothing is booked under an erased or merged record: the
			// course is refused as a whole, with the record's reason (an
			// erasure or merge made since an earlier time was booked
			// cancelled or moved that one too).
			return nil, err
		case errors.Is(err, backdesk.ErrLimitReached): // the patient holds as many as they may book online
			out.NotBooked = append(out.NotBooked, backdesk.PlanBookingMiss{Start: start, Reason: backdesk.ErrorMessage(err)})
		case code == backdesk.CodeConflict:
			out.NotBooked = append(out.NotBooked, backdesk.PlanBookingMiss{Start: start,
				Reason: "Not free: the practitioner is booked, away or not working then."})
		case code == backdesk.CodeInvalid && backdesk.ErrorField(err) == "start":
			out.NotBooked = append(out.NotBooked, backdesk.PlanBookingMiss{Start: start, Reason: backdesk.ErrorMessage(err)})
		default:
			if len(out.Booked) > 0 {
				return nil, fmt.Errorf("book planned sessions after %d booked: %w", len(out.Booked), err)
			}
			return nil, err
		}
	}
	return out, nil
}
