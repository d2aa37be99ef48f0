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

	RecordLoginFailureFn  func(ctx context.Context, keys []string, at time.Time) error
	CountLoginFailuresFn  func(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	ClearLoginFailuresFn  func(ctx context.Context, key string) error
	InsertPasswordResetFn func(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *backdesk.OutboxMessage) error
	ResetPasswordFn       func(ctx context.Context, tokenHash, passwordHash string, now time.Time) (int64, error)
	ExportPersonalDataFn  func(ctx context.Context, userID int64) (*backdesk.PersonalData, error)
	EraseUserFn           func(ctx context.Context, userID int64) error
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

func (s *UserStore) RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	return s.RecordLoginFailureFn(ctx, keys, at)
}

func (s *UserStore) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	return s.CountLoginFailuresFn(ctx, key, since)
}

func (s *UserStore) ClearLoginFailures(ctx context.Context, key string) error {
	return s.ClearLoginFailuresFn(ctx, key)
}

func (s *UserStore) InsertPasswordReset(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *backdesk.OutboxMessage) error {
	return s.InsertPasswordResetFn(ctx, tokenHash, userID, expiresAt, msg)
}

func (s *UserStore) ResetPassword(ctx context.Context, tokenHash, passwordHash string, now time.Time) (int64, error) {
	return s.ResetPasswordFn(ctx, tokenHash, passwordHash, now)
}

func (s *UserStore) ExportPersonalData(ctx context.Context, userID int64) (*backdesk.PersonalData, error) {
	return s.ExportPersonalDataFn(ctx, userID)
}

func (s *UserStore) EraseUser(ctx context.Context, userID int64) error {
	return s.EraseUserFn(ctx, userID)
}
