package clinic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"backdesk"
	"backdesk/triage"
)

// DefaultCountry is used for emergency numbers when the clinic has no
// location yet.
const DefaultCountry = "GB"

// AssessmentService implements backdesk.AssessmentService: it validates and
// evaluates answers with a triage ruleset and keeps the result.
type AssessmentService struct {
	Store     backdesk.AssessmentStore
	Audit     backdesk.AuditWriter
	Locations backdesk.LocationService // the clinic's country, for emergency numbers
	// Care tells whether a practitioner treats a patient; nil: practitioners
	// see no patient's assessments.
	Care interface {
		PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error)
	}
	Ruleset *triage.Ruleset
	// Rand supplies the random ids; crypto/rand.Reader in production.
	Rand io.Reader

	questionnaire *backdesk.Questionnaire
	rulebook      *backdesk.Rulebook
}

var _ backdesk.AssessmentService = (*AssessmentService)(nil)

// NewAssessmentService validates rs and returns the service. odi, when not
// nil, is the clinic's licensed Oswestry wording.
func NewAssessmentService(store backdesk.AssessmentStore, audit backdesk.AuditWriter, locations backdesk.LocationService, rs *triage.Ruleset, odi *triage.ODIText) (*AssessmentService, error) {
	if err := rs.Validate(); err != nil {
		return nil, fmt.Errorf("triage ruleset %s: %w", rs.Version, err)
	}
	return &AssessmentService{Store: store, Audit: audit, Locations: locations, Ruleset: rs, Rand: rand.Reader,
		questionnaire: triage.Questionnaire(rs, odi), rulebook: triage.Rulebook(rs)}, nil
}

// Questionnaire returns the questions of the current ruleset.
func (s *AssessmentService) Questionnaire(ctx context.Context) *backdesk.Questionnaire {
	return s.questionnaire
}

// Rulebook returns the current ruleset in words.
func (s *AssessmentService) Rulebook(ctx context.Context) *backdesk.Rulebook { return s.rulebook }

// Evaluate validates and evaluates answers without storing anything.
func (s *AssessmentService) Evaluate(ctx context.Context, raw json.RawMessage) (triage.Answers, backdesk.AssessmentResult, error) {
	a, err := triage.DecodeAnswers(raw)
	if err != nil {
		return a, backdesk.AssessmentResult{}, err
	}
	return a, triage.Evaluate(s.Ruleset, a, s.country(ctx)), nil
}

// CreateAssessment validates, evaluates and stores answers. A signed-in
// patient's assessment goes on their record; anyone else's is anonymous and
// reachable only through its random id.
func (s *AssessmentService) CreateAssessment(ctx context.Context, raw json.RawMessage) (*backdesk.Assessment, error) {
	answers, result, err := s.Evaluate(ctx, raw)
	if err != nil {
		return nil, err
	}
	canonical, err := json.Marshal(answers)
	if err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	id, err := s.newID()
	if err != nil {
		return nil, err
	}
	a := &backdesk.Assessment{ID: id, Answers: canonical, Result: result}
	if actor := backdesk.ActorFromContext(ctx); actor.Role == backdesk.RolePatient {
		a.PatientID = actor.PatientID
		ctx = backdesk.NewContextWithAudit(ctx, backdesk.NewAuditEntry(ctx, backdesk.AuditAssessmentCreate, a.PatientID, "assessment", a.ID))
	}
	if err := s.Store.InsertAssessment(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// FindAssessmentByID returns the assessment if the actor may see it: an
// anonymous one to whoever holds the id; a patient's to that patient and to
// clinic staff. Otherwise CodeNotFound, so that its existence is not revealed.
func (s *AssessmentService) FindAssessmentByID(ctx context.Context, id string) (*backdesk.Assessment, error) {
	notFound := backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
	if !validID(id) {
		return nil, notFound
	}
	a, err := s.Store.FindAssessmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.PatientID == 0 {
		return a, nil // anonymous: not a patient record
	}
	treats, err := s.treats(ctx, a.PatientID)
	if err != nil {
		return nil, err
	}
	if !backdesk.CanSeePatient(backdesk.ActorFromContext(ctx), a.PatientID, treats) {
		return nil, notFound
	}
	if err := s.audit(ctx, backdesk.AuditAssessmentRead, a.PatientID, a.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// FindAssessments lists a patient's assessments for that patient or staff.
func (s *AssessmentService) FindAssessments(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error) {
	actor := backdesk.ActorFromContext(ctx)
	if actor.Anonymous() {
		return nil, backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	}
	treats, err := s.treats(ctx, patientID)
	if err != nil {
		return nil, err
	}
	if !backdesk.CanSeePatient(actor, patientID, treats) {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
	}
	list, err := s.Store.FindAssessmentsByPatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, backdesk.AuditAssessmentList, patientID, ""); err != nil {
		return nil, err
	}
	return list, nil
}

// treats asks the care relationship, for practitioners only.
func (s *AssessmentService) treats(ctx context.Context, patientID int64) (bool, error) {
	a := backdesk.ActorFromContext(ctx)
	if a.Role != backdesk.RolePractitioner || s.Care == nil {
		return false, nil
	}
	return s.Care.PractitionerTreats(ctx, a.PractitionerID, patientID)
}

// audit records a read of a patient's records. A read whose audit line
// cannot be written is refused.
func (s *AssessmentService) audit(ctx context.Context, action string, patientID int64, id string) error {
	e := backdesk.NewAuditEntry(ctx, action, patientID, "assessment", id)
	return s.Audit.InsertAudit(ctx, &e)
}

// country is the clinic's country: that of its first location.
func (s *AssessmentService) country(ctx context.Context) string {
	if s.Locations != nil {
		if ls, err := s.Locations.FindLocations(ctx); err == nil && len(ls) > 0 {
			return ls[0].Country
		}
	}
	return DefaultCountry
}

// newID returns 128 random bits as 32 hex digits.
func (s *AssessmentService) newID() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}
