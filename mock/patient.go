package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.PatientService = (*PatientService)(nil)

// PatientService mocks backdesk.PatientService.
type PatientService struct {
	FindPatientByIDFn func(ctx context.Context, id int64) (*backdesk.Patient, error)
	FindPatientsFn    func(ctx context.Context, f backdesk.PatientFilter) ([]*backdesk.Patient, int, error)
	CreatePatientFn   func(ctx context.Context, p *backdesk.Patient) error
	ErasePatientFn    func(ctx context.Context, id int64) error
}

func (s *PatientService) FindPatientByID(ctx context.Context, id int64) (*backdesk.Patient, error) {
	return s.FindPatientByIDFn(ctx, id)
}

func (s *PatientService) FindPatients(ctx context.Context, f backdesk.PatientFilter) ([]*backdesk.Patient, int, error) {
	return s.FindPatientsFn(ctx, f)
}

func (s *PatientService) CreatePatient(ctx context.Context, p *backdesk.Patient) error {
	return s.CreatePatientFn(ctx, p)
}

func (s *PatientService) ErasePatient(ctx context.Context, id int64) error {
	return s.ErasePatientFn(ctx, id)
}
