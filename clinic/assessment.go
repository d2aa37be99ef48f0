package clinic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sync"

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
	Locations backdesk.LocationStore // the clinic's country, for emergency numbers
	// Care tells whether a practitioner treats a patient; nil: practitioners
	// see no patient's assessments.
	Care    CareRelation
	Ruleset *triage.Ruleset
	// Rand supplies the random ids; crypto/rand.Reader in production.
	Rand io.Reader

	questionnaire *backdesk.Questionnaire
	rulebook      *backdesk.Rulebook
	localized     sync.Map // country -> localized (the questionnaire and rulebook in its words)
}

type localized struct {
	questionnaire *backdesk.Questionnaire
	rulebook      *backdesk.Rulebook
}

var _ backdesk.AssessmentService = (*AssessmentService)(nil)

// NewAssessmentService validates rs and returns the service. odi, when not
// nil, is the clinic's licensed Oswestry wording.
func NewAssessmentService(store backdesk.AssessmentStore, audit backdesk.AuditWriter, locations backdesk.LocationStore, rs *triage.Ruleset, odi *triage.ODIText) (*AssessmentService, error) {
	if err := rs.Validate(); err != nil {
		return nil, fmt.Errorf("triage ruleset %s: %w", rs.Version, err)
	}
	return &AssessmentService{Store: store, Audit: audit, Locations: locations, Ruleset: rs, Rand: rand.Reader,
		questionnaire: triage.Questionnaire(rs, odi), rulebook: triage.Rulebook(rs)}, nil
}

// Questionnaire returns the questions of the current ruleset, in the
// words of the clinic's country.
func (s *AssessmentService) Questionnaire(ctx context.Context) *backdesk.Questionnaire {
	return s.inWords(ctx).questionnaire
}

// Rulebook returns the current ruleset in words: those of the clinic's
// country, with the sources as published.
func (s *AssessmentService) Rulebook(ctx context.Context) *backdesk.Rulebook {
	return s.inWords(ctx).rulebook
}

// inWords is the questionnaire and rulebook in the words of the clinic's
// country, made once per country.
func (s *AssessmentService) inWords(ctx context.Context) *localized {
	country := s.country(ctx)
	if l, ok := s.localized.Load(country); ok {
		return l.(*localized)
	}
	loc := backdesk.LocaleFor(country)
	l := &localized{questionnaire: triage.LocalizeQuestionnaire(s.questionnaire, loc), rulebook: triage.LocalizeRulebook(s.rulebook, loc)}
	s.localized.Store(country, l)
	return l
}

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
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return nil, err
	}
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
	var audit *backdesk.AuditEntry
	if actor := backdesk.ActorFromContext(ctx); may(actor, backdesk.PermBookForSelf) {
		a.PatientID = actor.PatientID
		audit = backdesk.NewAuditEntry(actor, backdesk.AuditAssessmentCreate, a.PatientID, "assessment", a.ID)
	}
	if err := s.Store.InsertAssessment(ctx, a, audit); err != nil {
		return nil, err
	}
	return a, nil
}

// FindAssessmentByID returns the assessment if the actor may see it: an
// anonymous one to whoever holds the id; a patient's to that patient and to
// clinic staff. Otherwise CodeNotFound, so that its existence is not revealed.
func (s *AssessmentService) FindAssessmentByID(ctx context.Context, id string) (*backdesk.Assessment, error) {
	notFound := errNoAssessment
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
	if ok, err := mayReadPatient(ctx, s.Care, backdesk.ActorFromContext(ctx), a.PatientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, notFound
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditAssessmentRead, a.PatientID, "assessment", a.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// FindAssessments lists the assessments of the patients the actor may see
// (patientScope): of f.PatientID only when it is set, CodeNotFound if the
// actor may not see that patient.
func (s *AssessmentService) FindAssessments(ctx context.Context, f backdesk.AssessmentFilter) ([]*backdesk.Assessment, int, error) {
	actor, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.PatientIDs = nil
	if f.PatientID != 0 {
		if ok, err := mayReadPatient(ctx, s.Care, actor, f.PatientID); err != nil {
			return nil, 0, err
		} else if !ok {
			return nil, 0, errNoPatient
		}
	} else {
		ids, all, err := patientScope(ctx, s.Care, actor, 0)
		if err != nil {
			return nil, 0, err
		}
		if !all {
			if len(ids) == 0 {
				return []*backdesk.Assessment{}, 0, nil
			}
			f.PatientIDs = ids
		}
	}
	list, total, err := s.Store.FindAssessments(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditAssessmentList, f.PatientID, "assessment", ""); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// ClaimAssessment attaches an anonymous assessment to the signed-in
// patient who holds its id (when they sign in or register from it, or book
// from it); one already theirs is returned as it is.
func (s *AssessmentService) ClaimAssessment(ctx context.Context, id string) (*backdesk.Assessment, error) {
	actor, err := require(ctx, backdesk.PermBookForSelf)
	if err != nil {
		return nil, err
	}
	return claimAssessment(ctx, s.Store, actor, id)
}

var errNoAssessment = backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")

// claimAssessment puts the anonymous assessment id on actor's record: the
// id is the credential, so whoever holds it may. Another patient's is
// CodeNotFound, not revealing that it exists.
func claimAssessment(ctx context.Context, store backdesk.AssessmentStore, actor backdesk.Actor, id string) (*backdesk.Assessment, error) {
	if !validID(id) || actor.PatientID == 0 {
		return nil, errNoAssessment
	}
	a, err := store.FindAssessmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	switch a.PatientID {
	case actor.PatientID:
		return a, nil
	case 0:
	default:
		return nil, errNoAssessment
	}
	if err := store.AttachAssessment(ctx, id, actor.PatientID, backdesk.NewAuditEntry(actor, backdesk.AuditAssessmentClaim, actor.PatientID, "assessment", id)); err != nil {
		return nil, err
	}
	a.PatientID = actor.PatientID
	return a, nil
}

// country is the clinic's country: that of its main location.
func (s *AssessmentService) country(ctx context.Context) string {
	if s.Locations != nil {
		if ls, err := s.Locations.FindLocations(ctx); err == nil {
			if l := backdesk.MainLocation(ls); l != nil {
				return l.Country
			}
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
