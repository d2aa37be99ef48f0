package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.PatientService = (*PatientService)(nil)

// PatientService mocks backdesk.PatientService.
type PatientService struct {
	FindPatientByIDFn func(ctx context.Context, id int64) (*backdesk.Patient, error)
}

func (s *PatientService) FindPatientByID(ctx context.Context, id int64) (*backdesk.Patient, error) {
	return s.FindPatientByIDFn(ctx, id)
}
