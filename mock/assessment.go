package mock

import (
	"context"

	"backdesk"
)

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
