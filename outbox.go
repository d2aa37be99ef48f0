package backdesk

import (
	"context"
	"time"
)

// OutboxMessage is an email waiting for, or past, delivery. It is written in
// the same transaction as what it announces.
type OutboxMessage struct {
	ID      int64  `json:"id,string"`
	Kind    string `json:"kind"` // "password_reset", …
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// ToPatient addresses a message to a patient as it is stored, in the
	// transaction that stores it, instead of To: the address is the
	// patient's email as it stands then (a change of address made a
	// moment before, by any process, is followed), the stored body is
	// Greeting, the patient's name, then Body, and the message is not
	// stored at all when the patient has no address, has asked not to be
	// emailed, or has been erased. So the one who writes it need not read
	// the patient first.
	ToPatient int64  `json:"-"`
	Greeting  string `json:"-"`
	// Sensitive messages (a password-reset link) are never shown to staff.
	Sensitive bool       `json:"sensitive"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	// BookingID links booking emails to their booking, so that a change
	// re-plans them and a cancellation drops them.
	BookingID int64        `json:"booking_id,string,omitempty"`
	Status    OutboxStatus `json:"status"`
	SendAfter time.Time    `json:"send_after"`
	Attempts  int          `json:"attempts"`
	LastError string       `json:"last_error,omitempty"`
}

// OutboxStatus is where an outbox message stands.
type OutboxStatus string

const (
	OutboxPending OutboxStatus = "pending" // waiting for its time, a worker or a retry
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"  // given up after the last attempt
	OutboxDropped OutboxStatus = "dropped" // no longer due (its booking moved or was cancelled, or its patient no longer takes email)
)

// OutboxStore is what delivery workers need. A claim is a lease: a claimed
// message is not claimed again until the lease ends, so several workers (in
// several processes) never send one message at the same time.
type OutboxStore interface {
	// ClaimOutbox leases up to limit pending messages due at now.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*OutboxMessage, error)
	// MarkOutboxSent records delivery, if claimID still holds the lease.
	MarkOutboxSent(ctx context.Context, id int64, claimID string, at time.Time) error
	// MarkOutboxRetry records a failed attempt: retry at retryAt, or give up.
	MarkOutboxRetry(ctx context.Context, id int64, claimID, errText string, retryAt time.Time, giveUp bool) error
	// ReleaseOutbox gives up claimID's lease without counting an attempt, so
	// that any worker may take the message at once (a worker that stops
	// mid-send). It does nothing when claimID no longer holds the lease.
	ReleaseOutbox(ctx context.Context, id int64, claimID string) error
}

// OutboxService is the outbox as staff see it.
type OutboxService interface {
	// FindOutboxMessages lists messages newest first, with the bodies of
	// sensitive ones withheld; reception and admin only.
	FindOutboxMessages(ctx context.Context, p Page) ([]*OutboxMessage, int, error)
}
