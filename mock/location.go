package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.LocationService = (*LocationService)(nil)

// LocationService mocks backdesk.LocationService.
type LocationService struct {
	FindLocationByIDFn func(ctx context.Context, id int64) (*backdesk.Location, error)
	FindLocationsFn    func(ctx context.Context) ([]*backdesk.Location, error)
	CreateLocationFn   func(ctx context.Context, l *backdesk.Location) error
	UpdateLocationFn   func(ctx context.Context, id int64, upd backdesk.LocationUpdate) (*backdesk.Location, error)
}

func (s *LocationService) FindLocationByID(ctx context.Context, id int64) (*backdesk.Location, error) {
	return s.FindLocationByIDFn(ctx, id)
}

func (s *LocationService) FindLocations(ctx context.Context) ([]*backdesk.Location, error) {
	return s.FindLocationsFn(ctx)
}

func (s *LocationService) CreateLocation(ctx context.Context, l *backdesk.Location) error {
	return s.CreateLocationFn(ctx, l)
}

func (s *LocationService) UpdateLocation(ctx context.Context, id int64, upd backdesk.LocationUpdate) (*backdesk.Location, error) {
	return s.UpdateLocationFn(ctx, id, upd)
}
