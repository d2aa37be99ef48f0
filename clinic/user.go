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
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"backdesk"
)

// Account policy.
const (
	// SessionLifetime is how long a sign-in lasts.
	SessionLifetime = 14 * 24 * time.Hour
	// ResetLifetime is how long a password-reset link works.
	ResetLifetime = time.Hour
	// LoginWindow is how far back failed sign-ins count.
	LoginWindow = 15 * time.Minute
	// AccountLoginLimit is the failures allowed per account in LoginWindow.
	AccountLoginLimit = 5
	// AddressLoginLimit is the failures allowed per client address in
	// LoginWindow (a clinic's front desk shares one address).
	AddressLoginLimit = 30
)

// UserService implements backdesk.UserService over a UserStore.
type UserService struct {
	Store backdesk.UserStore
	Audit backdesk.AuditWriter
	Now   func() time.Time
	// BaseURL is where the site is reached, for links in emails.
	BaseURL string
	// ClinicName signs emails.
	ClinicName string
	// dummyHash makes a sign-in for an unknown email cost as much as one for
	// a known email, so timing does not reveal which emails have accounts.
	dummyHash string
}

var _ backdesk.UserService = (*UserService)(nil)

// NewUserService returns a UserService using now as its clock.
func NewUserService(store backdesk.UserStore, audit backdesk.AuditWriter, now func() time.Time) *UserService {
	h, _ := HashPassword("timing-equaliser-not-a-password")
	return &UserService{Store: store, Audit: audit, Now: now, BaseURL: "http://127.0.0.1:8080", ClinicName: "the clinic", dummyHash: h}
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
	}
	return CheckPasswordStrength(nu.Password, nu.Email, nu.Name)
}

// CheckPasswordStrength refuses passwords shorter than the minimum, longer
// than 1024 bytes, on the common-passwords list, made of one repeated
// character, or containing the email's name part or the person's name.
func CheckPasswordStrength(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < backdesk.MinPasswordLength:
		return backdesk.FieldError("password", "password must be at least %d characters long", backdesk.MinPasswordLength)
	case len(password) > 1024:
		return backdesk.FieldError("password", "password must be at most 1024 bytes long")
	case isCommonPassword(password):
		return backdesk.FieldError("password", "that password is one of the most common and easily guessed; choose another")
	case strings.Count(password, string([]rune(password)[0])) == n:
		return backdesk.FieldError("password", "password must not be one character repeated")
	}
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if len(local) >= 4 && strings.Contains(lower, local) {
		return backdesk.FieldError("password", "password must not contain your email address")
	}
	for _, part := range strings.Fields(strings.ToLower(name)) {
		if len(part) >= 4 && strings.Contains(lower, part) && float64(len(part)) >= 0.5*float64(len(lower)) {
			return backdesk.FieldError("password", "password must not be mostly your name")
		}
	}
	return nil
}

// CreateUser validates nu, hashes its password and stores the account, of
// any role; admins and the system (an operator's command, the demo) only.
func (s *UserService) CreateUser(ctx context.Context, nu backdesk.NewUser) (*backdesk.User, error) {
	a, err := require(ctx, backdesk.PermManageAccounts)
	if err != nil {
		return nil, err
	}
	return s.createUser(ctx, a, nu)
}

func (s *UserService) createUser(ctx context.Context, a backdesk.Actor, nu backdesk.NewUser) (*backdesk.User, error) {
	if err := ValidateNewUser(nu); err != nil {
		return nil, err
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	u := &backdesk.User{Email: strings.TrimSpace(nu.Email), Name: strings.TrimSpace(nu.Name), Role: nu.Role, PractitionerID: nu.PractitionerID}
	if err := s.Store.InsertUser(ctx, u, hash, backdesk.NewAuditEntry(a, backdesk.AuditAccountCreate, 0, "account", "")); err != nil {
		return nil, err
	}
	return u, nil
}

// Register creates a patient account for anyone and signs it in.
func (s *UserService) Register(ctx context.Context, nu backdesk.NewUser) (*backdesk.Session, *backdesk.User, error) {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return nil, nil, err
	}
	nu.Role, nu.PractitionerID = backdesk.RolePatient, 0
	u, err := s.createUser(ctx, backdesk.ActorFromContext(ctx), nu)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.startSession(ctx, u)
	return sess, u, err
}

// FindUserByID returns the actor's own account, or any for an admin.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*backdesk.User, error) {
	if err := mayReadAccount(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.FindUserByID(ctx, id)
}

var errBadSignIn = backdesk.Errorf(backdesk.CodeUnauthorized, "The email or password is not right.")

// Authenticate checks the password and starts a new session with a fresh
// random token (so a token is never reused across sign-ins). Failures are
// counted per account and per client address in the database, so the limit
// holds across processes; past it, CodeRateLimited with RetryAfter.
func (s *UserService) Authenticate(ctx context.Context, email, password string) (*backdesk.Session, *backdesk.User, error) {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return nil, nil, err
	}
	now := s.Now()
	keys := []string{backdesk.AccountLoginKey(email)}
	if src := backdesk.ActorFromContext(ctx).Source; src != "" {
		keys = append(keys, backdesk.AddressLoginKey(src))
	}
	for i, key := range keys {
		limit := AccountLoginLimit
		if i > 0 {
			limit = AddressLoginLimit
		}
		n, oldest, err := s.Store.CountLoginFailures(ctx, key, now.Add(-LoginWindow))
		if err != nil {
			return nil, nil, err
		}
		if n >= limit {
			wait := oldest.Add(LoginWindow).Sub(now).Round(time.Second)
			if wait < time.Second {
				wait = time.Second
			}
			return nil, nil, &backdesk.Error{Code: backdesk.CodeRateLimited, RetryAfter: wait,
				Message: fmt.Sprintf("Too many failed sign-ins. Try again in %s, or reset your password.", humanDuration(wait))}
		}
	}
	u, hash, err := s.Store.FindUserByEmail(ctx, email)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		CheckPassword(s.dummyHash, password)
		return nil, nil, s.failed(ctx, keys, now)
	} else if err != nil {
		return nil, nil, err
	}
	if !CheckPassword(hash, password) {
		return nil, nil, s.failed(ctx, keys, now)
	}
	if err := s.Store.ClearLoginFailures(ctx, keys[0]); err != nil {
		return nil, nil, err
	}
	sess, err := s.startSession(ctx, u)
	return sess, u, err
}

func (s *UserService) failed(ctx context.Context, keys []string, now time.Time) error {
	if err := s.Store.RecordLoginFailure(ctx, keys, now); err != nil {
		return err
	}
	return errBadSignIn
}

func (s *UserService) startSession(ctx context.Context, u *backdesk.User) (*backdesk.Session, error) {
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	sess := &backdesk.Session{Token: token, UserID: u.ID, ExpiresAt: s.Now().Add(SessionLifetime)}
	if err := s.Store.InsertSession(ctx, TokenHash(token), u.ID, sess.ExpiresAt); err != nil {
		return nil, err
	}
	return sess, nil
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
	return Grant(backdesk.Actor{UserID: u.ID, Role: u.Role, PatientID: u.PatientID, PractitionerID: u.PractitionerID, Name: u.Name}), nil
}

// EndSession signs the token out.
func (s *UserService) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, TokenHash(token))
}

// RequestPasswordReset writes a reset email to the outbox when the email has
// an account. It returns nil either way, so that it does not reveal which
// emails have accounts.
func (s *UserService) RequestPasswordReset(ctx context.Context, email string) error {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return err
	}
	if !backdesk.ValidEmail(strings.TrimSpace(email)) {
		return backdesk.FieldError("email", "email must be an address such as name@example.org")
	}
	u, _, err := s.Store.FindUserByEmail(ctx, email)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	link := strings.TrimRight(s.BaseURL, "/") + "/password-reset/" + token
	msg := &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Sensitive: true,
		Subject: "Reset your password for " + s.ClinicName,
		Body: "Hello " + u.Name + ",\n\nSomeone asked to reset the password of your account at " + s.ClinicName + ". " +
			"To choose a new password, open this link within an hour:\n\n" + link + "\n\n" +
			"The link works once. If you did not ask for this, ignore this email: your password stays as it is.\n"}
	return s.Store.InsertPasswordReset(ctx, TokenHash(token), u.ID, s.Now().Add(ResetLifetime), msg)
}

// ResetPassword sets a new password with a reset token and ends every
// session of the account.
func (s *UserService) ResetPassword(ctx context.Context, token, password string) error {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return err
	}
	if err := CheckPasswordStrength(password, "", ""); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.Store.ResetPassword(ctx, TokenHash(token), hash, s.Now(),
		backdesk.NewAuditEntry(backdesk.ActorFromContext(ctx), backdesk.AuditPasswordReset, 0, "account", ""))
	return err
}

// ExportPersonalData returns everything held about the signed-in user, and
// audits the export.
func (s *UserService) ExportPersonalData(ctx context.Context) (*backdesk.PersonalData, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "There is no account to export.")
	}
	pd, err := s.Store.ExportPersonalData(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditPersonalExport, a.PatientID, "account", fmt.Sprint(a.UserID))); err != nil {
		return nil, err
	}
	return pd, nil
}

// EraseAccount erases the signed-in patient's personal data once they have
// confirmed their password. Staff accounts are closed by an admin instead.
func (s *UserService) EraseAccount(ctx context.Context, password string) error {
	a, err := require(ctx, backdesk.PermBookForSelf)
	if backdesk.ErrorCode(err) == backdesk.CodeForbidden {
		return backdesk.Errorf(backdesk.CodeForbidden, "Staff accounts are closed by an admin.")
	} else if err != nil {
		return err
	}
	u, err := s.Store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	_, hash, err := s.Store.FindUserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	if !CheckPassword(hash, password) {
		return backdesk.FieldError("password", "The password is not right; your account was not erased.")
	}
	return s.Store.EraseUser(ctx, a.UserID, backdesk.NewAuditEntry(a, backdesk.AuditPersonalErase, a.PatientID, "account", fmt.Sprint(a.UserID)))
}

// TokenHash is what the store keeps instead of a session or reset token.
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

func humanDuration(d time.Duration) string {
	if d >= time.Minute {
		m := int((d + 59*time.Second) / time.Minute)
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d seconds", int(d/time.Second))
}
