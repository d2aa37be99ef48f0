package clinic

import (
	"context"

	"backdesk"
)

// LocationService implements backdesk.LocationService: anyone reads the
// clinic's locations (straight from the store); admins change them, each
// change audited.
type LocationService struct {
	backdesk.LocationStore
}

var _ backdesk.LocationService = (*LocationService)(nil)

// CreateLocation stores l; admins only.
func (s *LocationService) CreateLocation(ctx context.Context, l *backdesk.Location) error {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return err
	}
	return s.LocationStore.InsertLocation(ctx, l, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueCreate, 0, "location", ""))
}

// UpdateLocation changes the set fields of upd; admins only.
func (s *LocationService) UpdateLocation(ctx context.Context, id int64, upd backdesk.LocationUpdate) (*backdesk.Location, error) {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return nil, err
	}
	return s.LocationStore.UpdateLocation(ctx, id, upd, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueUpdate, 0, "location", ""))
}
