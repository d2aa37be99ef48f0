package mock

import (
	"context"
	"time"

	"backdesk"
)

var _ backdesk.UserStore = (*UserStore)(nil)

// UserStore mocks backdesk.UserStore.
type UserStore struct {
	InsertUserFn      func(ctx context.Context, u *backdesk.User, passwordHash string) error
	FindUserByIDFn    func(ctx context.Context, id int64) (*backdesk.User, error)
	FindUserByEmailFn func(ctx context.Context, email string) (*backdesk.User, string, error)
	InsertSessionFn   func(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error
	FindSessionUserFn func(ctx context.Context, tokenHash string, now time.Time) (*backdesk.User, error)
	DeleteSessionFn   func(ctx context.Context, tokenHash string) error
}

func (s *UserStore) InsertUser(ctx context.Context, u *backdesk.User, passwordHash string) error {
	return s.InsertUserFn(ctx, u, passwordHash)
}

func (s *UserStore) FindUserByID(ctx context.Context, id int64) (*backdesk.User, error) {
	return s.FindUserByIDFn(ctx, id)
}

func (s *UserStore) FindUserByEmail(ctx context.Context, email string) (*backdesk.User, string, error) {
	return s.FindUserByEmailFn(ctx, email)
}

func (s *UserStore) InsertSession(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error {
	return s.InsertSessionFn(ctx, tokenHash, userID, expiresAt)
}

func (s *UserStore) FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*backdesk.User, error) {
	return s.FindSessionUserFn(ctx, tokenHash, now)
}

func (s *UserStore) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.DeleteSessionFn(ctx, tokenHash)
}
