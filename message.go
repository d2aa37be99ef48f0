package backdesk

import (
	"context"
	"strings"
	"time"
)

// ContactMessage is a "send us a message" from anyone to reception.
type ContactMessage struct {
	ID         int64      `json:"id,string"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Phone      string     `json:"phone,omitempty"`
	Body       string     `json:"body"`
	PatientID  int64      `json:"patient_id,string,omitempty"` // when a signed-in patient wrote it
	CreatedAt  time.Time  `json:"created_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredBy int64      `json:"answered_by,string,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Validate checks a new message, naming every problem at once.
func (m *ContactMessage) Validate() error {
	var p Problems
	switch {
	case strings.TrimSpace(m.Name) == "":
		p.Add("name", "Please give your name.")
	case len(m.Name) > 200:
		p.Add("name", "name is at most 200 characters")
	}
	if !ValidEmail(strings.TrimSpace(m.Email)) {
		p.Add("email", "email must be an address such as name@example.org, so that we can answer")
	}
	if len(m.Phone) > 50 {
		p.Add("phone", "phone is at most 50 characters")
	}
	switch {
	case strings.TrimSpace(m.Body) == "":
		p.Add("body", "Please write your message.")
	case len(m.Body) > 5000:
		p.Add("body", "the message is at most 5000 characters; please call us for more")
	}
	return p.Err()
}

// MessageFilter narrows FindMessages.
type MessageFilter struct {
	Unanswered bool
	Page
}

// MessageService is the clinic's contact inbox.
type MessageService interface {
	// CreateMessage accepts a message from anyone. CodeInvalid naming the field.
	CreateMessage(ctx context.Context, m *ContactMessage) error
	// FindMessages lists the inbox, newest first; reception and admin only.
	FindMessages(ctx context.Context, f MessageFilter) ([]*ContactMessage, int, error)
	// FindMessageByID returns one message; reception and admin only.
	FindMessageByID(ctx context.Context, id int64) (*ContactMessage, error)
	// AnswerMessage records the answer and emails it to the sender, in one
	// transaction; reception and admin only. CodeConflict if already answered.
	AnswerMessage(ctx context.Context, id int64, answer string) (*ContactMessage, error)
}

// MessageStore keeps contact messages.
type MessageStore interface {
	// InsertMessage stores m with its audit line (nil unless a patient wrote
	// it); fills ID and CreatedAt.
	InsertMessage(ctx context.Context, m *ContactMessage, audit *AuditEntry) error
	FindMessages(ctx context.Context, f MessageFilter) ([]*ContactMessage, int, error)
	FindMessageByID(ctx context.Context, id int64) (*ContactMessage, error) // CodeNotFound
	// AnswerMessage sets the answer unless one is set (CodeConflict) and
	// writes the reply email and the audit line, in one transaction.
	AnswerMessage(ctx context.Context, id int64, answer string, by int64, at time.Time, reply *OutboxMessage, audit *AuditEntry) (*ContactMessage, error)
}
