package mock

import (
	"context"
	"time"

	"backdesk"
)

var _ backdesk.OutboxService = (*OutboxService)(nil)

// OutboxService mocks backdesk.OutboxService.
type OutboxService struct {
	FindOutboxMessagesFn func(ctx context.Context, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error)
}

func (s *OutboxService) FindOutboxMessages(ctx context.Context, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	return s.FindOutboxMessagesFn(ctx, p)
}

var _ backdesk.OutboxStore = (*OutboxStore)(nil)

// OutboxStore mocks backdesk.OutboxStore.
type OutboxStore struct {
	ClaimOutboxFn     func(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*backdesk.OutboxMessage, error)
	MarkOutboxSentFn  func(ctx context.Context, id int64, claimID string, at time.Time) error
	MarkOutboxRetryFn func(ctx context.Context, id int64, claimID string, errText string, retryAt time.Time, giveUp bool) error
	ReleaseOutboxFn   func(ctx context.Context, id int64, claimID string) error
}

func (s *OutboxStore) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*backdesk.OutboxMessage, error) {
	return s.ClaimOutboxFn(ctx, now, lease, limit, claimID)
}

func (s *OutboxStore) MarkOutboxSent(ctx context.Context, id int64, claimID string, at time.Time) error {
	return s.MarkOutboxSentFn(ctx, id, claimID, at)
}

func (s *OutboxStore) MarkOutboxRetry(ctx context.Context, id int64, claimID string, errText string, retryAt time.Time, giveUp bool) error {
	return s.MarkOutboxRetryFn(ctx, id, claimID, errText, retryAt, giveUp)
}

func (s *OutboxStore) ReleaseOutbox(ctx context.Context, id int64, claimID string) error {
	return s.ReleaseOutboxFn(ctx, id, claimID)
}
