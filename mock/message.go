package mock

import (
	"context"
	"time"

	"backdesk"
)

var _ backdesk.MessageService = (*MessageService)(nil)

// MessageService mocks backdesk.MessageService.
type MessageService struct {
	CreateMessageFn   func(ctx context.Context, m *backdesk.ContactMessage) error
	FindMessagesFn    func(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error)
	FindMessageByIDFn func(ctx context.Context, id int64) (*backdesk.ContactMessage, error)
	AnswerMessageFn   func(ctx context.Context, id int64, answer string) (*backdesk.ContactMessage, error)
}

func (s *MessageService) CreateMessage(ctx context.Context, m *backdesk.ContactMessage) error {
	return s.CreateMessageFn(ctx, m)
}

func (s *MessageService) FindMessages(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error) {
	return s.FindMessagesFn(ctx, f)
}

func (s *MessageService) FindMessageByID(ctx context.Context, id int64) (*backdesk.ContactMessage, error) {
	return s.FindMessageByIDFn(ctx, id)
}

func (s *MessageService) AnswerMessage(ctx context.Context, id int64, answer string) (*backdesk.ContactMessage, error) {
	return s.AnswerMessageFn(ctx, id, answer)
}

var _ backdesk.MessageStore = (*MessageStore)(nil)

// MessageStore mocks backdesk.MessageStore.
type MessageStore struct {
	InsertMessageFn   func(ctx context.Context, m *backdesk.ContactMessage) error
	FindMessagesFn    func(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error)
	FindMessageByIDFn func(ctx context.Context, id int64) (*backdesk.ContactMessage, error)
	AnswerMessageFn   func(ctx context.Context, id int64, answer string, by int64, at time.Time, reply *backdesk.OutboxMessage) (*backdesk.ContactMessage, error)
}

func (s *MessageStore) InsertMessage(ctx context.Context, m *backdesk.ContactMessage) error {
	return s.InsertMessageFn(ctx, m)
}

func (s *MessageStore) FindMessages(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error) {
	return s.FindMessagesFn(ctx, f)
}

func (s *MessageStore) FindMessageByID(ctx context.Context, id int64) (*backdesk.ContactMessage, error) {
	return s.FindMessageByIDFn(ctx, id)
}

func (s *MessageStore) AnswerMessage(ctx context.Context, id int64, answer string, by int64, at time.Time, reply *backdesk.OutboxMessage) (*backdesk.ContactMessage, error) {
	return s.AnswerMessageFn(ctx, id, answer, by, at, reply)
}
