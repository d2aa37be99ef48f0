package backdesk

import "context"

// Store is everything a storage backend provides. sqlstore implements it for
// SQLite and PostgreSQL; storetest checks any implementation. A store keeps
// data and its integrity; who may read or change what is decided before
// it is called, in clinic.
type Store interface {
	LocationStore
	PractitionerStore
	OfferingStore
	UserStore
	PatientStore
	AssessmentStore
	BookingStore
	MessageStore
	CalendarStore
	WaitlistStore
	IntakeStore
	ReferralStore
	NoteStore
	AuditStore
	ExerciseStore
	CarePlanStore
	OutcomeStore
	ReminderStore
	KeyStore
	OutboxService
	OutboxStore
	APITokenStore
	WebhookStore
	WebhookOutboxStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}
