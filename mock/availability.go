package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.AvailabilityService = (*AvailabilityService)(nil)

// AvailabilityService mocks backdesk.AvailabilityService.
type AvailabilityService struct {
	FindSlotsFn  func(ctx context.Context, q backdesk.AvailabilityQuery) ([]backdesk.Slot, error)
	GenerationFn func() uint64
}

func (s *AvailabilityService) FindSlots(ctx context.Context, q backdesk.AvailabilityQuery) ([]backdesk.Slot, error) {
	return s.FindSlotsFn(ctx, q)
}

func (s *AvailabilityService) Generation() uint64 {
	return s.GenerationFn()
}
