package clinic

import (
	"context"
	"fmt"
	"strings"
	"time"

	"backdesk"
)

// MessageService is the contact inbox: anyone writes, reception and admin
// read and answer; the answer goes to the sender through the outbox.
type MessageService struct {
	Store      backdesk.MessageStore
	Audit      backdesk.AuditWriter
	ClinicName string
	Now        func() time.Time
}

var _ backdesk.MessageService = (*MessageService)(nil)

// CreateMessage accepts a message; a signed-in patient's is linked to their
// record.
func (s *MessageService) CreateMessage(ctx context.Context, m *backdesk.ContactMessage) error {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return err
	}
	m.Name, m.Email, m.Phone, m.Body = strings.TrimSpace(m.Name), strings.TrimSpace(m.Email), strings.TrimSpace(m.Phone), strings.TrimSpace(m.Body)
	if err := m.Validate(); err != nil {
		return err
	}
	m.PatientID = 0
	var audit *backdesk.AuditEntry
	if a := backdesk.ActorFromContext(ctx); may(a, backdesk.PermBookForSelf) {
		m.PatientID = a.PatientID
		audit = backdesk.NewAuditEntry(a, backdesk.AuditMessageCreate, a.PatientID, "message", "")
	}
	return s.Store.InsertMessage(ctx, m, audit)
}

// FindMessages lists the inbox; the front desk only.
func (s *MessageService) FindMessages(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error) {
	if _, err := require(ctx, backdesk.PermFrontDesk); err != nil {
		return nil, 0, err
	}
	return s.Store.FindMessages(ctx, f)
}

// FindMessageByID returns a message, and audits the read of a patient's.
func (s *MessageService) FindMessageByID(ctx context.Context, id int64) (*backdesk.ContactMessage, error) {
	if _, err := require(ctx, backdesk.PermFrontDesk); err != nil {
		return nil, err
	}
	m, err := s.Store.FindMessageByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.PatientID != 0 {
		if err := auditRead(ctx, s.Audit, backdesk.AuditMessageRead, m.PatientID, "message", fmt.Sprint(m.ID)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// AnswerMessage records the answer and emails it to the sender.
func (s *MessageService) AnswerMessage(ctx context.Context, id int64, answer string) (*backdesk.ContactMessage, error) {
	a, err := attempt(ctx, backdesk.OpAnswerMessage)
	if err != nil {
		return nil, err
	}
	answer = strings.TrimSpace(answer)
	if answer == "" || len(answer) > 5000 {
		return nil, backdesk.FieldError("answer", "the answer must be 1 to 5000 characters")
	}
	m, err := s.Store.FindMessageByID(ctx, id)
	if err != nil {
		return nil, err
	}
	quoted := "> " + strings.ReplaceAll(m.Body, "\n", "\n> ")
	reply := &backdesk.OutboxMessage{Kind: "message_answer", To: m.Email,
		Subject: "Your message to " + s.ClinicName,
		Body:    fmt.Sprintf("Hello %s,\n\n%s\n\n%s\n\n%s\n", m.Name, answer, quoted, s.ClinicName)}
	return s.Store.AnswerMessage(ctx, id, answer, a.UserID, s.Now(), reply,
		backdesk.NewAuditEntry(a, backdesk.AuditMessageAnswer, m.PatientID, "message", fmt.Sprint(m.ID)))
}
