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
	// Sensitive messages (a password-reset link) are never shown to staff.
	Sensitive bool       `json:"sensitive"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// OutboxService is the outbox as staff see it.
type OutboxService interface {
	// FindOutboxMessages lists messages newest first, with the bodies of
	// sensitive ones withheld; reception and admin only.
	FindOutboxMessages(ctx context.Context, p Page) ([]*OutboxMessage, int, error)
}
