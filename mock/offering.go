package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.OfferingService = (*OfferingService)(nil)

// OfferingService mocks backdesk.OfferingService.
type OfferingService struct {
	FindOfferingByIDFn func(ctx context.Context, id int64) (*backdesk.Offering, error)
	FindOfferingsFn    func(ctx context.Context, f backdesk.OfferingFilter) ([]*backdesk.Offering, error)
	CreateOfferingFn   func(ctx context.Context, o *backdesk.Offering) error
	UpdateOfferingFn   func(ctx context.Context, id int64, upd backdesk.OfferingUpdate) (*backdesk.Offering, error)
}

func (s *OfferingService) FindOfferingByID(ctx context.Context, id int64) (*backdesk.Offering, error) {
	return s.FindOfferingByIDFn(ctx, id)
}

func (s *OfferingService) FindOfferings(ctx context.Context, f backdesk.OfferingFilter) ([]*backdesk.Offering, error) {
	return s.FindOfferingsFn(ctx, f)
}

func (s *OfferingService) CreateOffering(ctx context.Context, o *backdesk.Offering) error {
	return s.CreateOfferingFn(ctx, o)
}

func (s *OfferingService) UpdateOffering(ctx context.Context, id int64, upd backdesk.OfferingUpdate) (*backdesk.Offering, error) {
	return s.UpdateOfferingFn(ctx, id, upd)
}
