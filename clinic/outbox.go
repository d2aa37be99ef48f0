package clinic

import (
	"context"

	"backdesk"
)

// OutboxService implements backdesk.OutboxService: the front desk sees what
// the clinic has sent and what waits.
type OutboxService struct {
	Store backdesk.OutboxService
}

var _ backdesk.OutboxService = (*OutboxService)(nil)

// FindOutboxMessages lists messages, newest first, sensitive bodies withheld.
func (s *OutboxService) FindOutboxMessages(ctx context.Context, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	if _, err := require(ctx, backdesk.PermFrontDesk); err != nil {
		return nil, 0, err
	}
	return s.Store.FindOutboxMessages(ctx, p)
}
