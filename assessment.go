package backdesk

import (
	"context"
	"encoding/json"
	"time"
)

// Disposition is where a person should go first. The values are fixed by
// spec/assessment.md.
type Disposition string

const (
	DispositionEmergency               Disposition = "emergency"
	DispositionUrgentDoctor            Disposition = "urgent_doctor"
	DispositionPhysiotherapy           Disposition = "physiotherapy"
	DispositionPhysiotherapyAndMassage Disposition = "physiotherapy_and_massage"
	DispositionMassage                 Disposition = "massage"
)

// Urgency orders dispositions: the most urgent match wins.
func (d Disposition) Urgency() int {
	switch d {
	case DispositionMassage:
		return 1
	case DispositionPhysiotherapy:
		return 2
	case DispositionPhysiotherapyAndMassage:
		return 3
	case DispositionUrgentDoctor:
		return 4
	case DispositionEmergency:
		return 5
	}
	return 0
}

// NeedsDoctor reports whether the disposition stops all booking.
func (d Disposition) NeedsDoctor() bool {
	return d == DispositionEmergency || d == DispositionUrgentDoctor
}

// MassageSuitability says whether massage is safe.
type MassageSuitability string

const (
	MassageYes             MassageSuitability = "yes"
	MassageAfterAssessment MassageSuitability = "after_assessment"
	MassageNo              MassageSuitability = "no"
)

// AssessmentResult is the outcome of a self-assessment (assessment.md §8).
type AssessmentResult struct {
	Disposition Disposition     `json:"disposition"`
	Headline    string          `json:"headline"`
	Reasons     []Reason        `json:"reasons"`
	RedFlags    []string        `json:"red_flags"`
	Emergency   *EmergencyCall  `json:"emergency,omitempty"`
	Chronicity  string          `json:"chronicity"`
	PainBand    string          `json:"pain_band"`
	Massage     MassageAdvice   `json:"massage"`
	StartBack   *StartBackScore `json:"startback"`
	ODI         *ODIScore       `json:"odi"`
	Advice      []string        `json:"advice"`
	Book        []string        `json:"book"`
	// Fired lists the id of every rule that matched, in rulebook order.
	Fired        []string `json:"fired"`
	RulesVersion string   `json:"rules_version"`
}

// BookDiscipline is the discipline a result's "book" entry ("physiotherapy",
// "massage", assessment.md §8) recommends booking.
func BookDiscipline(book string) (Discipline, bool) {
	switch book {
	case "physiotherapy":
		return DisciplinePhysiotherapist, true
	case "massage":
		return DisciplineMassageTherapist, true
	}
	return "", false
}

// Reason is one rule that shaped the result, in plain words.
type Reason struct {
	Rule    string   `json:"rule"`
	Text    string   `json:"text"`
	Answers []string `json:"answers"`
	Source  string   `json:"source"`
}

// EmergencyCall is what to do now, with the clinic country's numbers.
type EmergencyCall struct {
	Numbers []string `json:"numbers"`
	Message string   `json:"message"`
}

// MassageAdvice is the safety of massage and the techniques that fit.
type MassageAdvice struct {
	Suitable          MassageSuitability `json:"suitable"`
	Contraindications []string           `json:"contraindications"`
	Techniques        []Technique        `json:"techniques"`
}

// Technique is a massage technique with why it fits.
type Technique struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// StartBackScore is the Keele STarT Back result.
type StartBackScore struct {
	Total        int    `json:"total"`
	Psychosocial int    `json:"psychosocial"`
	Risk         string `json:"risk"`
	Care         string `json:"care"`
}

// ODIScore is the Oswestry Disability Index; Percent and Band are null
// when too few sections were answered, and Note says why.
type ODIScore struct {
	Percent  *int    `json:"percent"`
	Band     *string `json:"band"`
	Answered int     `json:"answered_sections"`
	Note     string  `json:"note,omitempty"`
}

// Assessment is a stored self-assessment: the answers as accepted, the
// ruleset version and the result, so that it can be explained and
// reproduced.
type Assessment struct {
	// ID is at least 128 random bits: an anonymous result is reachable only
	// by whoever holds it.
	ID        string           `json:"id"`
	PatientID int64            `json:"patient_id,string,omitempty"`
	Answers   json.RawMessage  `json:"answers"`
	Result    AssessmentResult `json:"result"`
	CreatedAt time.Time        `json:"created_at"`
}

// Questionnaire is the assessment's questions, grouped in short steps.
type Questionnaire struct {
	RulesVersion string         `json:"rules_version"`
	Steps        []QuestionStep `json:"steps"`
}

// QuestionStep is one short group of questions.
type QuestionStep struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Intro     string     `json:"intro,omitempty"`
	Licence   string     `json:"licence,omitempty"`
	Questions []Question `json:"questions"`
}

// QuestionType is the kind of answer a question takes.
type QuestionType string

const (
	QuestionInteger QuestionType = "integer" // a whole number within Min..Max
	QuestionBoolean QuestionType = "boolean" // true or false
	QuestionChoice  QuestionType = "choice"  // one of Options
	QuestionMulti   QuestionType = "multi"   // any of Options, no repeats
	QuestionScale   QuestionType = "scale"   // an integer Min..Max or null (Oswestry sections)
)

// Question is one question. Key is its answer key, nested keys joined with a
// dot ("red_flags.saddle_numbness", "odi.3"), which is also the form field
// name.
type Question struct {
	Key      string       `json:"key"`
	Text     string       `json:"text"`
	Help     string       `json:"help,omitempty"`
	Type     QuestionType `json:"type"`
	Required bool         `json:"required"`
	Min      *int         `json:"min,omitempty"`
	Max      *int         `json:"max,omitempty"`
	Options  []Option     `json:"options,omitempty"`
}

// Option is one allowed value of a choice question.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Rulebook is the ruleset rendered for clinicians: every rule, its
// condition, its outcome and its source.
type Rulebook struct {
	Version  string        `json:"version"`
	Sections []RuleSection `json:"sections"`
}

// RuleSection is one kind of rule (red flags, massage safety, …).
type RuleSection struct {
	Title string     `json:"title"`
	Intro string     `json:"intro"`
	Rules []RuleInfo `json:"rules"`
}

// RuleInfo is one rule in words.
type RuleInfo struct {
	ID      string `json:"id"`
	When    string `json:"when"`
	Outcome string `json:"outcome"`
	Text    string `json:"text"`
	Source  string `json:"source"`
}

// AssessmentService runs the self-assessment.
type AssessmentService interface {
	// Questionnaire returns the questions of the current ruleset.
	Questionnaire(ctx context.Context) *Questionnaire
	// Rulebook returns the current ruleset in words.
	Rulebook(ctx context.Context) *Rulebook
	// CreateAssessment validates answers (a JSON object), evaluates and stores
	// them, on the signed-in patient's record if there is one. CodeInvalid,
	// naming the field, for a bad answer; nothing is stored then.
	CreateAssessment(ctx context.Context, answers json.RawMessage) (*Assessment, error)
	// FindAssessmentByID returns CodeNotFound when there is no such
	// assessment or the actor may not see it.
	FindAssessmentByID(ctx context.Context, id string) (*Assessment, error)
	// FindAssessments lists the assessments on patients' records that the
	// actor may see, newest first, with the total: a patient their own, a
	// practitioner those of the patients they treat, the desk any. With
	// f.PatientID, CodeNotFound for a patient the actor may not see.
	// Anonymous assessments are no one's record and never listed.
	FindAssessments(ctx context.Context, f AssessmentFilter) ([]*Assessment, int, error)
	// ClaimAssessment attaches an anonymous assessment to the signed-in
	// patient: whoever holds its id took it. One already theirs is returned
	// as it is; CodeNotFound for an unknown id or another patient's,
	// CodeForbidden for an actor who is not a patient.
	ClaimAssessment(ctx context.Context, id string) (*Assessment, error)
}

// AssessmentFilter narrows FindAssessments; zero fields match all.
type AssessmentFilter struct {
	PatientID int64
	// PatientIDs, when not nil, keeps these patients' only (set by the
	// service).
	PatientIDs []int64
	From, To   time.Time // created in [From, To)
	Page
}

// AssessmentStore keeps assessments.
type AssessmentStore interface {
	// InsertAssessment stores a with its audit line (nil for an anonymous
	// assessment, which is no patient's record).
	InsertAssessment(ctx context.Context, a *Assessment, audit *AuditEntry) error
	FindAssessmentByID(ctx context.Context, id string) (*Assessment, error) // CodeNotFound
	FindAssessmentsByPatient(ctx context.Context, patientID int64) ([]*Assessment, error)
	// FindAssessments lists the assessments on patients' records (never
	// anonymous ones), newest first, with the total.
	FindAssessments(ctx context.Context, f AssessmentFilter) ([]*Assessment, int, error)
	// AttachAssessment puts an anonymous assessment on a patient's record,
	// with the audit line; CodeNotFound when there is no such assessment or
	// it already belongs to a patient.
	AttachAssessment(ctx context.Context, id string, patientID int64, audit *AuditEntry) error
}
