// Package clinic holds the use cases that combine the store with policy:
// accounts and sign-in, the self-assessment, and later booking and
// referrals. It never imports sqlstore or net/http.
package clinic

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"backdesk"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 14 * 24 * time.Hour

// UserService implements backdesk.UserService over a UserStore.
type UserService struct {
	Store backdesk.UserStore
	Now   func() time.Time
	// dummyHash makes a sign-in for an unknown email cost as much as one for
	// a known email, so timing does not reveal which emails have accounts.
	dummyHash string
}

var _ backdesk.UserService = (*UserService)(nil)

// NewUserService returns a UserService using now as its clock.
func NewUserService(store backdesk.UserStore, now func() time.Time) *UserService {
	h, _ := HashPassword("timing-equaliser-not-a-password")
	return &UserService{Store: store, Now: now, dummyHash: h}
}

// ValidateNewUser checks an account before anything is stored.
func ValidateNewUser(nu backdesk.NewUser) error {
	switch {
	case !backdesk.ValidEmail(strings.TrimSpace(nu.Email)):
		return backdesk.FieldError("email", "email must be an address such as name@example.org")
	case strings.TrimSpace(nu.Name) == "":
		return backdesk.FieldError("name", "name is required")
	case !nu.Role.Valid():
		return backdesk.FieldError("role", "role must be one of patient, practitioner, reception, admin")
	case utf8.RuneCountInString(nu.Password) < backdesk.MinPasswordLength:
		return backdesk.FieldError("password", "password must be at least %d characters long", backdesk.MinPasswordLength)
	case len(nu.Password) > 1024:
		return backdesk.FieldError("password", "password must be at most 1024 bytes long")
	}
	return nil
}

// CreateUser validates nu, hashes its password and stores the account.
func (s *UserService) CreateUser(ctx context.Context, nu backdesk.NewUser) (*backdesk.User, error) {
	if err := ValidateNewUser(nu); err != nil {
		return nil, err
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	u := &backdesk.User{Email: strings.TrimSpace(nu.Email), Name: strings.TrimSpace(nu.Name), Role: nu.Role, PractitionerID: nu.PractitionerID}
	if err := s.Store.InsertUser(ctx, u, hash); err != nil {
		return nil, err
	}
	return u, nil
}

// FindUserByID returns CodeNotFound if there is no such user.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*backdesk.User, error) {
	return s.Store.FindUserByID(ctx, id)
}

var errBadSignIn = backdesk.Errorf(backdesk.CodeUnauthorized, "The email or password is not right.")

// Authenticate checks the password and starts a new session with a fresh
// random token (so a token is never reused across sign-ins).
func (s *UserService) Authenticate(ctx context.Context, email, password string) (*backdesk.Session, *backdesk.User, error) {
	u, hash, err := s.Store.FindUserByEmail(ctx, email)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		CheckPassword(s.dummyHash, password)
		return nil, nil, errBadSignIn
	} else if err != nil {
		return nil, nil, err
	}
	if !CheckPassword(hash, password) {
		return nil, nil, errBadSignIn
	}
	token, err := newToken()
	if err != nil {
		return nil, nil, err
	}
	sess := &backdesk.Session{Token: token, UserID: u.ID, ExpiresAt: s.Now().Add(SessionLifetime)}
	if err := s.Store.InsertSession(ctx, TokenHash(token), u.ID, sess.ExpiresAt); err != nil {
		return nil, nil, err
	}
	return sess, u, nil
}

// ActorForSession returns the actor of a live session.
func (s *UserService) ActorForSession(ctx context.Context, token string) (backdesk.Actor, error) {
	if token == "" {
		return backdesk.Actor{}, backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	}
	u, err := s.Store.FindSessionUser(ctx, TokenHash(token), s.Now())
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return backdesk.Actor{}, backdesk.Errorf(backdesk.CodeUnauthorized, "Your session has ended; please sign in again.")
	} else if err != nil {
		return backdesk.Actor{}, err
	}
	return backdesk.Actor{UserID: u.ID, Role: u.Role, PatientID: u.PatientID, PractitionerID: u.PractitionerID, Name: u.Name}, nil
}

// EndSession signs the token out.
func (s *UserService) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, TokenHash(token))
}

// TokenHash is what the store keeps instead of a session token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken returns 256 random bits, URL-safe.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
