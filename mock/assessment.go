package mock

import (
	"context"
	"encoding/json"

	"backdesk"
)

var _ backdesk.AssessmentService = (*AssessmentService)(nil)

// AssessmentService mocks backdesk.AssessmentService.
type AssessmentService struct {
	QuestionnaireFn      func(ctx context.Context) *backdesk.Questionnaire
	RulebookFn           func(ctx context.Context) *backdesk.Rulebook
	CreateAssessmentFn   func(ctx context.Context, answers json.RawMessage) (*backdesk.Assessment, error)
	FindAssessmentByIDFn func(ctx context.Context, id string) (*backdesk.Assessment, error)
	FindAssessmentsFn    func(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error)
}

func (s *AssessmentService) Questionnaire(ctx context.Context) *backdesk.Questionnaire {
	return s.QuestionnaireFn(ctx)
}

func (s *AssessmentService) Rulebook(ctx context.Context) *backdesk.Rulebook {
	return s.RulebookFn(ctx)
}

func (s *AssessmentService) CreateAssessment(ctx context.Context, answers json.RawMessage) (*backdesk.Assessment, error) {
	return s.CreateAssessmentFn(ctx, answers)
}

func (s *AssessmentService) FindAssessmentByID(ctx context.Context, id string) (*backdesk.Assessment, error) {
	return s.FindAssessmentByIDFn(ctx, id)
}

func (s *AssessmentService) FindAssessments(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error) {
	return s.FindAssessmentsFn(ctx, patientID)
}

var _ backdesk.AssessmentStore = (*AssessmentStore)(nil)

// AssessmentStore mocks backdesk.AssessmentStore.
type AssessmentStore struct {
	InsertAssessmentFn         func(ctx context.Context, a *backdesk.Assessment) error
	FindAssessmentByIDFn       func(ctx context.Context, id string) (*backdesk.Assessment, error)
	FindAssessmentsByPatientFn func(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error)
}

func (s *AssessmentStore) InsertAssessment(ctx context.Context, a *backdesk.Assessment) error {
	return s.InsertAssessmentFn(ctx, a)
}

func (s *AssessmentStore) FindAssessmentByID(ctx context.Context, id string) (*backdesk.Assessment, error) {
	return s.FindAssessmentByIDFn(ctx, id)
}

func (s *AssessmentStore) FindAssessmentsByPatient(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error) {
	return s.FindAssessmentsByPatientFn(ctx, patientID)
}
