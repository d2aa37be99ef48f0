package clinic

import (
	"context"

	"backdesk"
)

// OfferingService implements backdesk.OfferingService: anyone reads the
// clinic's services (straight from the store); admins change them, each
// change audited.
type OfferingService struct {
	backdesk.OfferingStore
}

var _ backdesk.OfferingService = (*OfferingService)(nil)

// CreateOffering stores o; admins only.
func (s *OfferingService) CreateOffering(ctx context.Context, o *backdesk.Offering) error {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return err
	}
	return s.OfferingStore.InsertOffering(ctx, o, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueCreate, 0, "service", ""))
}

// UpdateOffering changes the set fields of upd; admins only.
func (s *OfferingService) UpdateOffering(ctx context.Context, id int64, upd backdesk.OfferingUpdate) (*backdesk.Offering, error) {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return nil, err
	}
	return s.OfferingStore.UpdateOffering(ctx, id, upd, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueUpdate, 0, "service", ""))
}
