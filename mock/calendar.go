package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.CalendarService = (*CalendarService)(nil)

// CalendarService mocks backdesk.CalendarService.
type CalendarService struct {
	CreateFeedFn   func(ctx context.Context, practitionerID int64) (string, error)
	RevokeFeedFn   func(ctx context.Context, practitionerID int64) error
	FeedBookingsFn func(ctx context.Context, token string) (*backdesk.Practitioner, []*backdesk.Booking, error)
}

func (s *CalendarService) CreateFeed(ctx context.Context, practitionerID int64) (string, error) {
	return s.CreateFeedFn(ctx, practitionerID)
}

func (s *CalendarService) RevokeFeed(ctx context.Context, practitionerID int64) error {
	return s.RevokeFeedFn(ctx, practitionerID)
}

func (s *CalendarService) FeedBookings(ctx context.Context, token string) (*backdesk.Practitioner, []*backdesk.Booking, error) {
	return s.FeedBookingsFn(ctx, token)
}

var _ backdesk.CalendarStore = (*CalendarStore)(nil)

// CalendarStore mocks backdesk.CalendarStore.
type CalendarStore struct {
	SetCalendarFeedFn    func(ctx context.Context, practitionerID int64, tokenHash string) error
	DeleteCalendarFeedFn func(ctx context.Context, practitionerID int64) error
	FindCalendarFeedFn   func(ctx context.Context, tokenHash string) (int64, error)
}

func (s *CalendarStore) SetCalendarFeed(ctx context.Context, practitionerID int64, tokenHash string) error {
	return s.SetCalendarFeedFn(ctx, practitionerID, tokenHash)
}

func (s *CalendarStore) DeleteCalendarFeed(ctx context.Context, practitionerID int64) error {
	return s.DeleteCalendarFeedFn(ctx, practitionerID)
}

func (s *CalendarStore) FindCalendarFeed(ctx context.Context, tokenHash string) (int64, error) {
	return s.FindCalendarFeedFn(ctx, tokenHash)
}
