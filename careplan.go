package backdesk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CarePlan is a treatment plan a practitioner writes for a patient: the
// problem in plain words, goals, the sessions planned by discipline and a
// home programme of exercises. A patient has at most one plan. Changing it
// makes a new version; Current is the one in force, which the patient sees.
type CarePlan struct {
	ID          int64  `json:"id,string"`
	PatientID   int64  `json:"patient_id,string"`
	PatientName string `json:"patient_name,omitempty"`
	// PractitionerID wrote the first version.
	PractitionerID int64            `json:"practitioner_id,string"`
	CreatedAt      time.Time        `json:"created_at"`
	Current        *CarePlanVersion `json:"current"`
}

// CarePlanVersion is one version of a plan. A version is never changed once
// written; a change is the next version.
type CarePlanVersion struct {
	PlanID    int64            `json:"plan_id,string"`
	Version   int              `json:"version"`
	Problem   string           `json:"problem"`
	Goals     []Goal           `json:"goals"`
	Sessions  []PlannedSession `json:"sessions"`
	Exercises []PlanExercise   `json:"exercises"`
	// ChangeNote says why this version was made; "" on the first.
	ChangeNote string `json:"change_note,omitempty"`
	// AuthorID is the practitioner who wrote this version.
	AuthorID   int64     `json:"author_id,string"`
	AuthorName string    `json:"author_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Goal is what the patient and practitioner aim for, by a date: a measured
// one ("Oswestry under 20") names a measure and its target; one in words
// only ("walk 30 minutes to work") has neither.
type Goal struct {
	Text    string         `json:"text"`
	Measure OutcomeMeasure `json:"measure,omitempty"`
	Target  *float64       `json:"target,omitempty"`
	By      Date           `json:"by"`
}

// PlannedSession is a course of appointments of one discipline: Count of
// them, EveryWeeks weeks apart ("6 physiotherapy follow-ups every 2
// weeks").
type PlannedSession struct {
	Discipline Discipline `json:"discipline"`
	// ServiceID is the service to book, when the plan names one.
	ServiceID  int64  `json:"service_id,string,omitempty"`
	Count      int    `json:"count"`
	EveryWeeks int    `json:"every_weeks"`
	Note       string `json:"note,omitempty"`
}

// PlanExercise is one exercise of the home programme with this patient's
// own dosage.
type PlanExercise struct {
	ExerciseID string `json:"exercise_id"`
	// ExerciseVersion is the version of the exercise's text the plan
	// refers to: the shipped library's ("2026.1") or a clinic exercise's
	// number ("2"). Saving a plan fills it in.
	ExerciseVersion string `json:"exercise_version,omitempty"`
	Dosage          Dosage `json:"dosage"`
	Note            string `json:"note,omitempty"`
	// Exercise is the exercise itself, read with the plan; never stored.
	Exercise *Exercise `json:"exercise,omitempty"`
}

// Name is the exercise's name, or its id when it was not read with the plan.
func (e PlanExercise) Name() string {
	if e.Exercise != nil {
		return e.Exercise.Name
	}
	return e.ExerciseID
}

// CarePlanDraft is what a practitioner writes: a new plan (PatientID set)
// or a change to one (BaseVersion: the version it was based on).
type CarePlanDraft struct {
	PatientID   int64            `json:"patient_id,string,omitempty"`
	BaseVersion int              `json:"base_version,omitempty"`
	Problem     string           `json:"problem"`
	Goals       []Goal           `json:"goals"`
	Sessions    []PlannedSession `json:"sessions"`
	Exercises   []PlanExercise   `json:"exercises"`
	ChangeNote  string           `json:"change_note,omitempty"`
}

// Plan limits.
const (
	MaxPlanProblemLen = 2000
	MaxPlanGoals      = 10
	MaxPlanSessions   = 10
	MaxPlanExercises  = 20
	MaxSessionCount   = 30
	MaxSessionWeeks   = 12
	maxPlanNote       = 500
)

// Validate tidies the draft (trimmed texts, nil lists made empty) and checks
// its own fields: every problem names its field as the JSON does
// ("exercises.2.dosage.reps"). That the exercises and services exist is
// the clinic's to check.
func (d *CarePlanDraft) Validate() error {
	d.Problem = strings.TrimSpace(d.Problem)
	d.ChangeNote = strings.TrimSpace(d.ChangeNote)
	if d.Goals == nil {
		d.Goals = []Goal{}
	}
	if d.Sessions == nil {
		d.Sessions = []PlannedSession{}
	}
	if d.Exercises == nil {
		d.Exercises = []PlanExercise{}
	}
	switch {
	case d.Problem == "":
		return FieldError("problem", "problem is required: the patient's problem in plain words")
	case utf8.RuneCountInString(d.Problem) > MaxPlanProblemLen:
		return FieldError("problem", "problem is at most %d characters", MaxPlanProblemLen)
	case !utf8.ValidString(d.Problem):
		return FieldError("problem", "problem is not valid text")
	case len(d.Goals) > MaxPlanGoals:
		return FieldError("goals", "a plan has at most %d goals", MaxPlanGoals)
	case len(d.Sessions) > MaxPlanSessions:
		return FieldError("sessions", "a plan has at most %d kinds of session", MaxPlanSessions)
	case len(d.Exercises) > MaxPlanExercises:
		return FieldError("exercises", "a home programme has at most %d exercises", MaxPlanExercises)
	}
	if err := checkText("change_note", d.ChangeNote, maxPlanNote); err != nil {
		return err
	}
	for i := range d.Goals {
		if err := d.Goals[i].validate("goals." + strconv.Itoa(i)); err != nil {
			return err
		}
	}
	for i := range d.Sessions {
		if err := d.Sessions[i].validate("sessions." + strconv.Itoa(i)); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i := range d.Exercises {
		e := &d.Exercises[i]
		f := "exercises." + strconv.Itoa(i)
		e.ExerciseID = strings.TrimSpace(e.ExerciseID)
		e.Note = strings.TrimSpace(e.Note)
		e.Exercise = nil
		switch {
		case !ValidSlug(e.ExerciseID):
			return FieldError(f+".exercise_id", "%s.exercise_id must name an exercise of the library, such as knee-to-chest", f)
		case seen[e.ExerciseID]:
			return FieldError(f+".exercise_id", "%s is in the programme twice", e.ExerciseID)
		}
		seen[e.ExerciseID] = true
		if err := e.Dosage.Validate(f + ".dosage"); err != nil {
			return err
		}
		if err := checkText(f+".note", e.Note, maxPlanNote); err != nil {
			return err
		}
	}
	return nil
}

func (g *Goal) validate(f string) error {
	g.Text = strings.TrimSpace(g.Text)
	switch {
	case g.Text == "":
		return FieldError(f+".text", "%s.text is required: the goal in plain words", f)
	case g.By.IsZero():
		return FieldError(f+".by", "%s.by is required: the date to reach it by (YYYY-MM-DD)", f)
	case g.Measure == "" && g.Target != nil:
		return FieldError(f+".measure", "%s: a target needs a measure (pain, odi, startback or psfs)", f)
	case g.Measure != "" && !g.Measure.Valid():
		return FieldError(f+".measure", "%s.measure must be one of pain, odi, startback, psfs", f)
	case g.Measure != "" && g.Target == nil:
		return FieldError(f+".target", "%s.target is required with a measure", f)
	}
	if err := checkText(f+".text", g.Text, 300); err != nil {
		return err
	}
	if g.Measure != "" {
		lo, hi := g.Measure.Scale()
		if *g.Target < lo || *g.Target > hi {
			return FieldError(f+".target", "%s.target must be from %s to %s for %s", f, FormatScore(g.Measure, lo), FormatScore(g.Measure, hi), g.Measure.Label())
		}
	}
	return nil
}

func (s *PlannedSession) validate(f string) error {
	s.Note = strings.TrimSpace(s.Note)
	switch {
	case !s.Discipline.Valid():
		return FieldError(f+".discipline", "%s.discipline must be physiotherapist, sports_therapist or massage_therapist", f)
	case s.Count < 1 || s.Count > MaxSessionCount:
		return FieldError(f+".count", "%s.count must be from 1 to %d", f, MaxSessionCount)
	case s.EveryWeeks < 1 || s.EveryWeeks > MaxSessionWeeks:
		return FieldError(f+".every_weeks", "%s.every_weeks must be from 1 to %d", f, MaxSessionWeeks)
	}
	return checkText(f+".note", s.Note, maxPlanNote)
}

// String says the goal in words with its measure: "Oswestry under 20
// (Oswestry Disability Index 20) by 1 March 2027".
func (g Goal) String() string {
	s := g.Text
	if g.Measure != "" && g.Target != nil {
		s += fmt.Sprintf(" (%s %s)", g.Measure.Label(), FormatScore(g.Measure, *g.Target))
	}
	if !g.By.IsZero() {
		s += " by " + g.By.Words()
	}
	return s
}

// String says the session plan in words: "6 physiotherapist sessions, every 2 weeks".
func (s PlannedSession) String() string {
	every := "every week"
	if s.EveryWeeks > 1 {
		every = fmt.Sprintf("every %d weeks", s.EveryWeeks)
	}
	out := fmt.Sprintf("%s with a %s, %s", count(s.Count, "session"), strings.ToLower(s.Discipline.Label()), every)
	if s.Note != "" {
		out += " (" + s.Note + ")"
	}
	return out
}

// PlanPart names what part of a plan a change is to.
type PlanPart string

const (
	PartProblem  PlanPart = "problem"
	PartGoal     PlanPart = "goal"
	PartSession  PlanPart = "session"
	PartExercise PlanPart = "exercise"
)

// ChangeKind says how a part changed between two versions.
type ChangeKind string

const (
	ChangeAdded   ChangeKind = "added"
	ChangeRemoved ChangeKind = "removed"
	ChangeChanged ChangeKind = "changed"
)

// PlanChange is one difference between two versions of a plan, in words.
type PlanChange struct {
	Part   PlanPart   `json:"part"`
	Kind   ChangeKind `json:"kind"`
	Before string     `json:"before,omitempty"`
	After  string     `json:"after,omitempty"`
}

// PlanDiff is what changed from one version of a plan to another.
type PlanDiff struct {
	PlanID  int64        `json:"plan_id,string"`
	From    int          `json:"from"`
	To      int          `json:"to"`
	Note    string       `json:"change_note,omitempty"` // of the To version
	Changes []PlanChange `json:"changes"`
}

// DiffCarePlanVersions lists what changed from a to b: the problem; goals
// by their text; sessions by discipline and service; exercises by id (a
// changed dosage or note is a change). The order is that of the parts, each
// in b's order, then what was removed.
func DiffCarePlanVersions(a, b *CarePlanVersion) []PlanChange {
	out := []PlanChange{}
	if a.Problem != b.Problem {
		out = append(out, PlanChange{Part: PartProblem, Kind: ChangeChanged, Before: a.Problem, After: b.Problem})
	}
	out = diffParts(out, PartGoal, a.Goals, b.Goals, func(g Goal) string { return g.Text }, Goal.String)
	out = diffParts(out, PartSession, a.Sessions, b.Sessions,
		func(s PlannedSession) string { return string(s.Discipline) + "/" + strconv.FormatInt(s.ServiceID, 10) }, PlannedSession.String)
	out = diffParts(out, PartExercise, a.Exercises, b.Exercises, func(e PlanExercise) string { return e.ExerciseID },
		func(e PlanExercise) string {
			s := e.Name() + ": " + e.Dosage.String()
			if e.Note != "" {
				s += " (" + e.Note + ")"
			}
			return s
		})
	return out
}

func diffParts[T any](out []PlanChange, part PlanPart, a, b []T, key func(T) string, words func(T) string) []PlanChange {
	before := map[string]T{}
	for _, x := range a {
		before[key(x)] = x
	}
	after := map[string]bool{}
	for _, y := range b {
		k := key(y)
		after[k] = true
		x, ok := before[k]
		switch {
		case !ok:
			out = append(out, PlanChange{Part: part, Kind: ChangeAdded, After: words(y)})
		case words(x) != words(y):
			out = append(out, PlanChange{Part: part, Kind: ChangeChanged, Before: words(x), After: words(y)})
		}
	}
	for _, x := range a {
		if !after[key(x)] {
			out = append(out, PlanChange{Part: part, Kind: ChangeRemoved, Before: words(x)})
		}
	}
	return out
}

// ExerciseLog records that the patient did one exercise of their plan,
// against the version of the plan in force, with how much it hurt if they
// said.
type ExerciseLog struct {
	ID         int64     `json:"id,string"`
	PlanID     int64     `json:"plan_id,string"`
	Version    int       `json:"version"`
	PatientID  int64     `json:"patient_id,string"`
	ExerciseID string    `json:"exercise_id"`
	Pain       *int      `json:"pain,omitempty"` // 0–10
	DoneAt     time.Time `json:"done_at"`
}

// ExerciseLogRequest is "done" from the patient: the plan version they
// were shown, the exercise, and an optional pain rating.
type ExerciseLogRequest struct {
	Version    int    `json:"version"`
	ExerciseID string `json:"exercise_id"`
	Pain       *int   `json:"pain,omitempty"`
}

// AdherenceWeek is one week (Monday to Sunday in the clinic's time zone)
// of a home programme: sessions done against sessions planned, per
// exercise. Planned counts only the days the plan was in force, up to the
// day the adherence was computed for.
type AdherenceWeek struct {
	WeekOf Date `json:"week_of"` // its Monday
	// InPlan is false for a week with no plan in force on any day.
	InPlan    bool                `json:"in_plan"`
	Planned   int                 `json:"planned"`
	Done      int                 `json:"done"`
	Exercises []ExerciseAdherence `json:"exercises"`
}

// ExerciseAdherence is one exercise's sessions in a week.
type ExerciseAdherence struct {
	ExerciseID string `json:"exercise_id"`
	Name       string `json:"name"`
	Planned    int    `json:"planned"`
	Done       int    `json:"done"`
}

// Percent is done of planned, at most 100; -1 when nothing was planned.
func (w AdherenceWeek) Percent() int { return percent(w.Done, w.Planned) }

// Percent is done of planned, at most 100; -1 when nothing was planned.
func (e ExerciseAdherence) Percent() int { return percent(e.Done, e.Planned) }

func percent(done, planned int) int {
	if planned <= 0 {
		return -1
	}
	return min(100, (done*100+planned/2)/planned)
}

// Adherence is a plan's weeks, oldest first, through Through (a date in the
// clinic's zone, usually today).
type Adherence struct {
	PlanID    int64           `json:"plan_id,string"`
	PatientID int64           `json:"patient_id,string"`
	Through   Date            `json:"through"`
	Weeks     []AdherenceWeek `json:"weeks"`
}

// AdherenceSummary is a patient's adherence at a glance, for the
// practitioner before a visit: this week so far and last week.
type AdherenceSummary struct {
	PlanID    int64          `json:"plan_id,string"`
	PatientID int64          `json:"patient_id,string"`
	Version   int            `json:"version"`
	ThisWeek  AdherenceWeek  `json:"this_week"`
	LastWeek  *AdherenceWeek `json:"last_week,omitempty"`
	// LastDone is when the patient last logged an exercise.
	LastDone *time.Time `json:"last_done,omitempty"`
}

// PlanBookingRequest books a planned course of sessions in one go: Count
// appointments (the session's count when 0) with one practitioner, the
// first at Start and each next one EveryWeeks later at the same local time.
type PlanBookingRequest struct {
	Session        int       `json:"session"` // index in the plan's sessions
	ServiceID      int64     `json:"service_id,string,omitempty"`
	PractitionerID int64     `json:"practitioner_id,string"`
	Start          time.Time `json:"start"`
	Count          int       `json:"count,omitempty"`
}

// PlanBookingResult says what was booked and which times could not be.
type PlanBookingResult struct {
	Booked    []*Booking        `json:"booked"`
	NotBooked []PlanBookingMiss `json:"not_booked"`
}

// PlanBookingMiss is a time of the course that could not be booked, and why.
type PlanBookingMiss struct {
	Start  time.Time `json:"start"`
	Reason string    `json:"reason"`
}

// CarePlanService is plans as practitioners write them and patients follow
// them. Reads of a plan the actor may not see are CodeNotFound.
type CarePlanService interface {
	// CreateCarePlan writes a patient's first plan: a practitioner who
	// treats them. CodeConflict if the patient already has a plan.
	CreateCarePlan(ctx context.Context, d CarePlanDraft) (*CarePlan, error)
	// ChangeCarePlan writes the next version: a practitioner who treats
	// the patient. CodeConflict when d.BaseVersion is no longer current.
	ChangeCarePlan(ctx context.Context, id int64, d CarePlanDraft) (*CarePlan, error)
	// FindCarePlanByID returns the plan with its current version, the
	// exercises read with it: for the patient, practitioners who treat
	// them and the front desk.
	FindCarePlanByID(ctx context.Context, id int64) (*CarePlan, error)
	// FindCarePlanForPatient returns a patient's plan; CodeNotFound when
	// there is none.
	FindCarePlanForPatient(ctx context.Context, patientID int64) (*CarePlan, error)
	// FindCarePlanVersions lists every version, oldest first.
	FindCarePlanVersions(ctx context.Context, id int64) ([]*CarePlanVersion, error)
	// DiffCarePlan says what changed from version from to version to.
	DiffCarePlan(ctx context.Context, id int64, from, to int) (*PlanDiff, error)
	// LogExercise records "done" from the plan's patient, against the
	// current version: CodeConflict for an older version, or when the
	// exercise was already done as often today as the plan asks;
	// CodeNotFound for another patient's plan.
	LogExercise(ctx context.Context, planID int64, r ExerciseLogRequest) (*ExerciseLog, error)
	// FindExerciseLogs lists the plan's logs done in [from, to).
	FindExerciseLogs(ctx context.Context, planID int64, from, to time.Time) ([]*ExerciseLog, error)
	// Adherence computes the plan's weekly adherence for its last weeks
	// (through today in the clinic's zone).
	Adherence(ctx context.Context, planID int64, weeks int) (*Adherence, error)
	// AdherenceSummary is a patient's current adherence at a glance;
	// CodeNotFound when they have no plan.
	AdherenceSummary(ctx context.Context, patientID int64) (*AdherenceSummary, error)
	// BookPlannedSessions books a planned course through the ordinary
	// booking path, one appointment at a time, and says which times could
	// not be booked. Whoever may book for the patient may do it.
	BookPlannedSessions(ctx context.Context, planID int64, r PlanBookingRequest) (*PlanBookingResult, error)
}

// CarePlanStore keeps plans, their versions and exercise logs.
type CarePlanStore interface {
	// InsertCarePlan stores a new plan with its first version, with the
	// audit line; fills IDs and times. CodeConflict if the patient already
	// has a plan.
	InsertCarePlan(ctx context.Context, p *CarePlan, audit *AuditEntry) error
	// InsertCarePlanVersion stores v as the plan's next version (filling
	// Version and CreatedAt) and makes it current, in one transaction.
	// CodeConflict when base is not 0 and not the current version.
	InsertCarePlanVersion(ctx context.Context, v *CarePlanVersion, base int, audit *AuditEntry) error
	FindCarePlanByID(ctx context.Context, id int64) (*CarePlan, error)                  // CodeNotFound
	FindCarePlanByPatient(ctx context.Context, patientID int64) (*CarePlan, error)      // CodeNotFound
	FindCarePlanVersions(ctx context.Context, planID int64) ([]*CarePlanVersion, error) // oldest first
	// InsertExerciseLog stores l if l.Version is the plan's current version
	// (CodeConflict otherwise), the plan is l.PatientID's (CodeNotFound
	// otherwise), and fewer than perDay logs of the exercise were done in
	// [dayStart, dayEnd) (CodeConflict otherwise), in one transaction.
	InsertExerciseLog(ctx context.Context, l *ExerciseLog, dayStart, dayEnd time.Time, perDay int, audit *AuditEntry) error
	// FindExerciseLogs lists a plan's logs done in [from, to), oldest first.
	FindExerciseLogs(ctx context.Context, planID int64, from, to time.Time) ([]*ExerciseLog, error)
}
