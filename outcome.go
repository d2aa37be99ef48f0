package backdesk

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OutcomeMeasure is a score followed over time.
type OutcomeMeasure string

const (
	// MeasurePain is pain now, 0 (none) to 10 (worst imaginable).
	MeasurePain OutcomeMeasure = "pain"
	// MeasureODI is the Oswestry Disability Index, 0–100 %, scored as the
	// self-assessment scores it.
	MeasureODI OutcomeMeasure = "odi"
	// MeasureStartBack is the Keele STarT Back total, 0–9, scored as the
	// self-assessment scores it.
	MeasureStartBack OutcomeMeasure = "startback"
	// MeasurePSFS is the Patient-Specific Functional Scale: the mean of the
	// patient's own activities, each 0 (unable) to 10 (as before).
	MeasurePSFS OutcomeMeasure = "psfs"
)

// OutcomeMeasures lists every measure, in the order pages show them.
var OutcomeMeasures = []OutcomeMeasure{MeasurePain, MeasureODI, MeasurePSFS, MeasureStartBack}

// Valid reports whether m is one of OutcomeMeasures.
func (m OutcomeMeasure) Valid() bool {
	for _, x := range OutcomeMeasures {
		if m == x {
			return true
		}
	}
	return false
}

// Label is the measure's name for people.
func (m OutcomeMeasure) Label() string {
	switch m {
	case MeasurePain:
		return "Pain now"
	case MeasureODI:
		return "Oswestry Disability Index"
	case MeasureStartBack:
		return "STarT Back"
	case MeasurePSFS:
		return "Patient-Specific Functional Scale"
	}
	return string(m)
}

// Scale is the lowest and highest score.
func (m OutcomeMeasure) Scale() (lo, hi float64) {
	switch m {
	case MeasureODI:
		return 0, 100
	case MeasureStartBack:
		return 0, 9
	}
	return 0, 10
}

// LowerIsBetter reports whether a falling score is an improvement (pain,
// Oswestry, STarT Back); for the PSFS a rising one is.
func (m OutcomeMeasure) LowerIsBetter() bool { return m != MeasurePSFS }

// Minimal clinically important differences: the smallest change in a score
// that patients notice as a real change, beyond measurement error. The
// charts mark every change from the first score at least this large.
const (
	// MCIDPain: 2 points on the 0–10 scale (Ostelo et al. 2008).
	MCIDPain = 2.0
	// MCIDODI: 10 points on the 0–100 Oswestry (Ostelo et al. 2008).
	MCIDODI = 10.0
	// MCIDPSFS: 2 points in the mean score (Stratford et al. 1995).
	MCIDPSFS = 2.0
)

// Where the minimal important differences come from.
const (
	// SourceOstelo2008 proposed, from an international expert consensus on
	// low back pain, a minimal important change of 2 points on a 0–10 pain
	// scale and 10 points on the 0–100 Oswestry Disability Index.
	SourceOstelo2008 = "Ostelo RWJG, Deyo RA, Stratford P, Waddell G, Croft P, Von Korff M, Bouter LM, de Vet HC. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine 2008;33(1):90–94"
	// SourceStratford1995 is the first report of the Patient-Specific
	// Functional Scale, in people with low back pain, from which the
	// 2-point change in the mean score is taken.
	SourceStratford1995 = "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiotherapy Canada 1995;47(4):258–263"
)

// MCID is the measure's minimal clinically important difference and its
// source; 0 and "" for STarT Back, which sorts people into risk groups and
// has none.
func (m OutcomeMeasure) MCID() (float64, string) {
	switch m {
	case MeasurePain:
		return MCIDPain, SourceOstelo2008
	case MeasureODI:
		return MCIDODI, SourceOstelo2008
	case MeasurePSFS:
		return MCIDPSFS, SourceStratford1995
	}
	return 0, ""
}

// FormatScore writes a score as the measure counts it: whole numbers, the
// PSFS mean with one decimal ("6.3"), Oswestry as a percentage ("24%").
func FormatScore(m OutcomeMeasure, v float64) string {
	switch m {
	case MeasurePSFS:
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	case MeasureODI:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

// OutcomeSource is where a score came from.
type OutcomeSource string

const (
	// SourceSelfAssessment: the scores of a self-assessment the patient
	// answered, which join the series.
	SourceSelfAssessment OutcomeSource = "self_assessment"
	// SourceFollowUp: the patient, between visits: from the link emailed
	// before a follow-up appointment, or on their own pages.
	SourceFollowUp OutcomeSource = "follow_up"
	// SourceClinic: recorded by a practitioner in clinic.
	SourceClinic OutcomeSource = "clinic"
)

// Label says the source in words.
func (s OutcomeSource) Label() string {
	switch s {
	case SourceSelfAssessment:
		return "Self-assessment"
	case SourceFollowUp:
		return "Follow-up (from the patient)"
	case SourceClinic:
		return "In clinic"
	}
	return string(s)
}

// Outcome is one score of one measure for a patient.
type Outcome struct {
	// ID is 0 for the score of a self-assessment, which is read from it.
	ID        int64          `json:"id,string,omitempty"`
	PatientID int64          `json:"patient_id,string"`
	Measure   OutcomeMeasure `json:"measure"`
	Value     float64        `json:"value"`
	Source    OutcomeSource  `json:"source"`
	// Activities are the PSFS activities with their scores.
	Activities []PSFSActivity `json:"activities,omitempty"`
	// Risk is the STarT Back risk group: low, medium or high.
	Risk string `json:"risk,omitempty"`
	// Answers are the answers scored, for Oswestry (the ten sections, null
	// where skipped) and STarT Back (the nine items).
	Answers      json.RawMessage `json:"answers,omitempty"`
	BookingID    int64           `json:"booking_id,string,omitempty"`
	AssessmentID string          `json:"assessment_id,omitempty"`
	RecordedBy   int64           `json:"recorded_by,string,omitempty"`
	RecordedAt   time.Time       `json:"recorded_at"`
}

// Key names a score as the FHIR facade (its Observation's id) and webhooks
// do: the patient and the stored score ("7-o12"), or the patient, the
// self-assessment and the measure for a score read from a self-assessment
// ("7-a0123…ef-odi"). The patient is in it so that a read can ask for that
// patient's scores, whose rules decide who sees them.
func (o *Outcome) Key() string {
	if o.ID != 0 {
		return strconv.FormatInt(o.PatientID, 10) + "-o" + strconv.FormatInt(o.ID, 10)
	}
	return strconv.FormatInt(o.PatientID, 10) + "-a" + o.AssessmentID + "-" + string(o.Measure)
}

// PSFSActivity is one activity the patient finds hard, scored 0 (unable to
// do it) to 10 (able to do it as before the problem).
type PSFSActivity struct {
	Activity string `json:"activity"`
	Score    int    `json:"score"`
}

// PSFS limits.
const (
	MaxPSFSActivities  = 5
	MaxPSFSActivityLen = 120
)

// ValidatePSFS checks a PSFS answer: 1 to 5 activities, each named and
// scored 0–10; it trims the names.
func ValidatePSFS(list []PSFSActivity) error {
	if len(list) == 0 || len(list) > MaxPSFSActivities {
		return FieldError("psfs", "psfs needs 1 to %d activities, each with a score from 0 to 10", MaxPSFSActivities)
	}
	for i := range list {
		a := &list[i]
		f := "psfs." + strconv.Itoa(i)
		a.Activity = strings.TrimSpace(a.Activity)
		switch {
		case a.Activity == "":
			return FieldError(f+".activity", "%s.activity is required: an activity you find hard because of your back", f)
		case utf8.RuneCountInString(a.Activity) > MaxPSFSActivityLen:
			return FieldError(f+".activity", "%s.activity is at most %d characters", f, MaxPSFSActivityLen)
		case a.Score < 0 || a.Score > 10:
			return FieldError(f+".score", "%s.score must be an integer from 0 to 10", f)
		}
		if err := checkText(f+".activity", a.Activity, MaxPSFSActivityLen); err != nil {
			return err
		}
	}
	return nil
}

// PSFSScore is the PSFS score: the mean of the activities' scores, to one
// decimal.
func PSFSScore(list []PSFSActivity) float64 {
	if len(list) == 0 {
		return 0
	}
	sum := 0
	for _, a := range list {
		sum += a.Score
	}
	return math.Round(float64(sum)*10/float64(len(list))) / 10
}

// OutcomeReport is one filling-in of the outcome questionnaire: any of
// pain now, Oswestry and STarT Back, in the self-assessment's own answer
// form (pain_now 0–10; odi an array of ten sections 0–5 or null; startback
// the eight items and bothersome), and the PSFS.
type OutcomeReport struct {
	PainNow   json.RawMessage `json:"pain_now,omitempty"`
	ODI       json.RawMessage `json:"odi,omitempty"`
	StartBack json.RawMessage `json:"startback,omitempty"`
	PSFS      []PSFSActivity  `json:"psfs,omitempty"`
	// Source is clinic for staff and follow_up for the patient; it may be
	// left out.
	Source OutcomeSource `json:"source,omitempty"`
}

// OutcomePoint is one score of a series.
type OutcomePoint struct {
	At     time.Time     `json:"at"`
	Date   Date          `json:"date"` // in the clinic's zone
	Value  float64       `json:"value"`
	Source OutcomeSource `json:"source"`
}

// OutcomeChange is a change from the first score of a series at least as
// large as the measure's minimal clinically important difference.
type OutcomeChange struct {
	At       time.Time `json:"at"`
	Date     Date      `json:"date"`
	From     float64   `json:"from"`
	To       float64   `json:"to"`
	Change   float64   `json:"change"` // To − From
	Improved bool      `json:"improved"`
	Words    string    `json:"words"`
}

// OutcomeSeries is one measure over time, with the plan's goal on it and
// every important change from the first score.
type OutcomeSeries struct {
	Measure       OutcomeMeasure  `json:"measure"`
	Label         string          `json:"label"`
	Min           float64         `json:"min"`
	Max           float64         `json:"max"`
	LowerIsBetter bool            `json:"lower_is_better"`
	MCID          float64         `json:"mcid,omitempty"`
	MCIDSource    string          `json:"mcid_source,omitempty"`
	Goal          *Goal           `json:"goal,omitempty"`
	Points        []OutcomePoint  `json:"points"`
	Changes       []OutcomeChange `json:"changes"`
}

// OutcomeHistory is a patient's scores, oldest first, and the series they
// make.
type OutcomeHistory struct {
	PatientID int64           `json:"patient_id,string"`
	Outcomes  []*Outcome      `json:"outcomes"`
	Series    []OutcomeSeries `json:"series"`
}

// OutcomeRequest is the questionnaire emailed to a patient the day before a
// follow-up appointment, answered once.
type OutcomeRequest struct {
	BookingID        int64      `json:"booking_id,string"`
	PatientID        int64      `json:"patient_id,string"`
	AppointmentStart time.Time  `json:"appointment_start"`
	CreatedAt        time.Time  `json:"created_at"`
	AnsweredAt       *time.Time `json:"answered_at,omitempty"`
}

// OutcomeService records and reads outcome scores.
type OutcomeService interface {
	// RecordOutcomes stores the measures of r as of now: the patient for
	// themselves (follow-up), or a practitioner who treats them (clinic).
	// CodeInvalid, naming the field, for any score out of range; then
	// nothing is stored.
	RecordOutcomes(ctx context.Context, patientID int64, r OutcomeReport) ([]*Outcome, error)
	// FindOutcomes returns a patient's scores, their self-assessments'
	// included, and the series with goals and important changes: for the
	// patient, practitioners who treat them and the front desk.
	FindOutcomes(ctx context.Context, patientID int64) (*OutcomeHistory, error)
	// FindOutcomeRequest reads the request a token from an email names;
	// the token is the credential. CodeNotFound for a bad or expired token.
	FindOutcomeRequest(ctx context.Context, token string) (*OutcomeRequest, error)
	// AnswerOutcomeRequest records the answers of an emailed request, once:
	// CodeConflict when already answered.
	AnswerOutcomeRequest(ctx context.Context, token string, r OutcomeReport) ([]*Outcome, error)
	// SendOutcomeRequests emails the questionnaire to each patient with a
	// plan whose follow-up appointment is within the next day, once per
	// appointment; the system only. It returns how many it wrote.
	SendOutcomeRequests(ctx context.Context) (int, error)
}

// OutcomeStore keeps outcome scores and the requests emailed for them.
type OutcomeStore interface {
	// InsertOutcomes stores every outcome or none, with the audit line;
	// fills IDs.
	InsertOutcomes(ctx context.Context, list []*Outcome, audit *AuditEntry) error
	// FindOutcomes lists a patient's stored outcomes, oldest first.
	FindOutcomes(ctx context.Context, patientID int64) ([]*Outcome, error)
	// FindBookingsStarting lists live bookings starting in (from, to] that
	// have no outcome request yet.
	FindBookingsStarting(ctx context.Context, from, to time.Time) ([]*Booking, error)
	// InsertOutcomeRequest stores r and its email (linked to the booking,
	// so that a cancellation drops it) with the audit line, unless the
	// booking already has a request, or the email is to a patient who
	// gets none (OutboxMessage.ToPatient): then it writes nothing and
	// reports false.
	InsertOutcomeRequest(ctx context.Context, r *OutcomeRequest, msg *OutboxMessage, audit *AuditEntry) (bool, error)
	FindOutcomeRequest(ctx context.Context, bookingID int64) (*OutcomeRequest, error) // CodeNotFound
	// AnswerOutcomeRequest stores the outcomes and marks the request
	// answered, in one transaction with the audit line; CodeConflict when
	// it was already answered.
	AnswerOutcomeRequest(ctx context.Context, bookingID int64, list []*Outcome, audit *AuditEntry) error
}
