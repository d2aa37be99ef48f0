package clinic

import (
	"context"
	"time"

	"backdesk"
)

// CalendarService implements backdesk.CalendarService.
type CalendarService struct {
	Store         backdesk.CalendarStore
	Bookings      backdesk.BookingStore
	Practitioners backdesk.PractitionerStore
	Now           func() time.Time
}

var _ backdesk.CalendarService = (*CalendarService)(nil)

// A feed covers a month back and a year ahead.
const (
	feedPast   = 31 * 24 * time.Hour
	feedFuture = 366 * 24 * time.Hour
)

// CreateFeed makes or renews a feed; the old URL stops working.
func (s *CalendarService) CreateFeed(ctx context.Context, practitionerID int64) (string, error) {
	a, err := mayManageFeed(ctx, practitionerID)
	if err != nil {
		return "", err
	}
	if _, err := s.Practitioners.FindPractitionerByID(ctx, practitionerID); err != nil {
		return "", err
	}
	token, err := newToken()
	if err != nil {
		return "", err
	}
	if err := s.Store.SetCalendarFeed(ctx, practitionerID, TokenHash(token), backdesk.NewAuditEntry(a, backdesk.AuditCalendarFeed, 0, "calendar_feed", "")); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeed ends a feed.
func (s *CalendarService) RevokeFeed(ctx context.Context, practitionerID int64) error {
	a, err := mayManageFeed(ctx, practitionerID)
	if err != nil {
		return err
	}
	return s.Store.DeleteCalendarFeed(ctx, practitionerID, backdesk.NewAuditEntry(a, backdesk.AuditCalendarFeed, 0, "calendar_feed", ""))
}

// FeedBookings returns a feed's practitioner and bookings; the token is the
// credential.
func (s *CalendarService) FeedBookings(ctx context.Context, token string) (*backdesk.Practitioner, []*backdesk.Booking, error) {
	if token == "" {
		return nil, nil, backdesk.Errorf(backdesk.CodeNotFound, "Calendar feed not found.")
	}
	id, err := s.Store.FindCalendarFeed(ctx, TokenHash(token))
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Practitioners.FindPractitionerByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	list, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PractitionerID: id, From: now.Add(-feedPast), To: now.Add(feedFuture), Page: backdesk.Page{Limit: 1000}})
	return p, list, err
}
