package backdesk

import "context"

// Store is everything a storage backend provides. sqlstore implements it for
// SQLite and PostgreSQL; storetest checks any implementation.
type Store interface {
	LocationService
	PractitionerService
	OfferingService
	UserStore
	PatientService
	AssessmentStore
	BookingStore
	MessageStore
	CalendarStore
	WaitlistStore
	AuditStore
	OutboxService
	OutboxStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}
