package clinic

import (
	"context"

	"backdesk"
)

// PractitionerService implements backdesk.PractitionerService: anyone reads
// (straight from the store); admins change them, each change audited.
type PractitionerService struct {
	backdesk.PractitionerStore
}

var _ backdesk.PractitionerService = (*PractitionerService)(nil)

// CreatePractitioner stores p; admins only.
func (s *PractitionerService) CreatePractitioner(ctx context.Context, p *backdesk.Practitioner) error {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return err
	}
	return s.PractitionerStore.InsertPractitioner(ctx, p, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueCreate, 0, "practitioner", ""))
}

// UpdatePractitioner changes the set fields of upd; admins only.
func (s *PractitionerService) UpdatePractitioner(ctx context.Context, id int64, upd backdesk.PractitionerUpdate) (*backdesk.Practitioner, error) {
	a, err := attempt(ctx, backdesk.OpEditCatalogue)
	if err != nil {
		return nil, err
	}
	return s.PractitionerStore.UpdatePractitioner(ctx, id, upd, backdesk.NewAuditEntry(a, backdesk.AuditCatalogueUpdate, 0, "practitioner", ""))
}
