package backdesk

import "context"

// CalendarService manages practitioners' private calendar feeds: a secret
// URL their calendar app subscribes to, renewable (which revokes the old
// one) and revocable.
type CalendarService interface {
	// CreateFeed makes (or renews) a practitioner's feed and returns its
	// token, shown once. The practitioner's own account or an admin.
	CreateFeed(ctx context.Context, practitionerID int64) (string, error)
	// RevokeFeed ends a practitioner's feed.
	RevokeFeed(ctx context.Context, practitionerID int64) error
	// FeedBookings returns the practitioner and their bookings for a feed
	// token; CodeNotFound for an unknown or revoked token.
	FeedBookings(ctx context.Context, token string) (*Practitioner, []*Booking, error)
}

// CalendarStore keeps feed tokens, by their hashes.
type CalendarStore interface {
	// SetCalendarFeed replaces a practitioner's feed token hash, with the
	// audit line.
	SetCalendarFeed(ctx context.Context, practitionerID int64, tokenHash string, audit *AuditEntry) error
	DeleteCalendarFeed(ctx context.Context, practitionerID int64, audit *AuditEntry) error
	// FindCalendarFeed returns the practitioner of a token hash; CodeNotFound.
	FindCalendarFeed(ctx context.Context, tokenHash string) (int64, error)
}
