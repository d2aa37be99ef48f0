package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.PractitionerService = (*PractitionerService)(nil)

// PractitionerService mocks backdesk.PractitionerService.
type PractitionerService struct {
	FindPractitionerByIDFn func(ctx context.Context, id int64) (*backdesk.Practitioner, error)
	FindPractitionersFn    func(ctx context.Context, f backdesk.PractitionerFilter) ([]*backdesk.Practitioner, error)
	CreatePractitionerFn   func(ctx context.Context, p *backdesk.Practitioner) error
	UpdatePractitionerFn   func(ctx context.Context, id int64, upd backdesk.PractitionerUpdate) (*backdesk.Practitioner, error)
}

func (s *PractitionerService) FindPractitionerByID(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
	return s.FindPractitionerByIDFn(ctx, id)
}

func (s *PractitionerService) FindPractitioners(ctx context.Context, f backdesk.PractitionerFilter) ([]*backdesk.Practitioner, error) {
	return s.FindPractitionersFn(ctx, f)
}

func (s *PractitionerService) CreatePractitioner(ctx context.Context, p *backdesk.Practitioner) error {
	return s.CreatePractitionerFn(ctx, p)
}

func (s *PractitionerService) UpdatePractitioner(ctx context.Context, id int64, upd backdesk.PractitionerUpdate) (*backdesk.Practitioner, error) {
	return s.UpdatePractitionerFn(ctx, id, upd)
}
