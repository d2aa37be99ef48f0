package mock

import (
	"context"
	"time"

	"backdesk"
)

var _ backdesk.UserService = (*UserService)(nil)

// UserService mocks backdesk.UserService.
type UserService struct {
	CreateUserFn           func(ctx context.Context, nu backdesk.NewUser) (*backdesk.User, error)
	RegisterFn             func(ctx context.Context, nu backdesk.NewUser) (*backdesk.Session, *backdesk.User, error)
	FindUserByIDFn         func(ctx context.Context, id int64) (*backdesk.User, error)
	AuthenticateFn         func(ctx context.Context, email string, password string) (*backdesk.Session, *backdesk.User, error)
	ActorForSessionFn      func(ctx context.Context, token string) (backdesk.Actor, error)
	EndSessionFn           func(ctx context.Context, token string) error
	RequestPasswordResetFn func(ctx context.Context, email string) error
	ResetPasswordFn        func(ctx context.Context, token string, password string) error
	ExportPersonalDataFn   func(ctx context.Context) (*backdesk.PersonalData, error)
	EraseAccountFn         func(ctx context.Context, password string) error
}

func (s *UserService) CreateUser(ctx context.Context, nu backdesk.NewUser) (*backdesk.User, error) {
	return s.CreateUserFn(ctx, nu)
}

func (s *UserService) Register(ctx context.Context, nu backdesk.NewUser) (*backdesk.Session, *backdesk.User, error) {
	return s.RegisterFn(ctx, nu)
}

func (s *UserService) FindUserByID(ctx context.Context, id int64) (*backdesk.User, error) {
	return s.FindUserByIDFn(ctx, id)
}

func (s *UserService) Authenticate(ctx context.Context, email string, password string) (*backdesk.Session, *backdesk.User, error) {
	return s.AuthenticateFn(ctx, email, password)
}

func (s *UserService) ActorForSession(ctx context.Context, token string) (backdesk.Actor, error) {
	return s.ActorForSessionFn(ctx, token)
}

func (s *UserService) EndSession(ctx context.Context, token string) error {
	return s.EndSessionFn(ctx, token)
}

func (s *UserService) RequestPasswordReset(ctx context.Context, email string) error {
	return s.RequestPasswordResetFn(ctx, email)
}

func (s *UserService) ResetPassword(ctx context.Context, token string, password string) error {
	return s.ResetPasswordFn(ctx, token, password)
}

func (s *UserService) ExportPersonalData(ctx context.Context) (*backdesk.PersonalData, error) {
	return s.ExportPersonalDataFn(ctx)
}

func (s *UserService) EraseAccount(ctx context.Context, password string) error {
	return s.EraseAccountFn(ctx, password)
}

var _ backdesk.UserStore = (*UserStore)(nil)

// UserStore mocks backdesk.UserStore.
type UserStore struct {
	InsertUserFn          func(ctx context.Context, u *backdesk.User, passwordHash string) error
	FindUserByIDFn        func(ctx context.Context, id int64) (*backdesk.User, error)
	FindUserByEmailFn     func(ctx context.Context, email string) (*backdesk.User, string, error)
	InsertSessionFn       func(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error
	FindSessionUserFn     func(ctx context.Context, tokenHash string, now time.Time) (*backdesk.User, error)
	DeleteSessionFn       func(ctx context.Context, tokenHash string) error
	RecordLoginFailureFn  func(ctx context.Context, keys []string, at time.Time) error
	CountLoginFailuresFn  func(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	ClearLoginFailuresFn  func(ctx context.Context, key string) error
	InsertPasswordResetFn func(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *backdesk.OutboxMessage) error
	ResetPasswordFn       func(ctx context.Context, tokenHash string, passwordHash string, now time.Time) (int64, error)
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

func (s *UserStore) ResetPassword(ctx context.Context, tokenHash string, passwordHash string, now time.Time) (int64, error) {
	return s.ResetPasswordFn(ctx, tokenHash, passwordHash, now)
}

func (s *UserStore) ExportPersonalData(ctx context.Context, userID int64) (*backdesk.PersonalData, error) {
	return s.ExportPersonalDataFn(ctx, userID)
}

func (s *UserStore) EraseUser(ctx context.Context, userID int64) error {
	return s.EraseUserFn(ctx, userID)
}
