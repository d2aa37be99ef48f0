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
	"net/url"
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
	// VerifyLifetime is how long a link to confirm an email address works.
	VerifyLifetime = 48 * time.Hour
	// RegisterWindow is how far back registrations count; RegisterLimit the
	// registrations allowed per client address in it (a household, a
	// waiting-room tablet).
	RegisterWindow = time.Hour
	RegisterLimit  = 20
	// ResendLimit is how many links to confirm its address one account may
	// ask for again in RegisterWindow.
	ResendLimit = 5
	// NoticeLimit is how many emails a day tell an account's owner that
	// someone tried to register their address (the rest are not sent, so
	// that nobody can flood an inbox through the clinic).
	NoticeLimit = 3
)

// FreedTimes offers to the waitlist the times of bookings cancelled other
// than by the booking path (by an erasure); BookingService is one.
type FreedTimes interface {
	Released(ctx context.Context, cancelled []*backdesk.Booking)
}

// UserService implements backdesk.UserService over a UserStore.
type UserService struct {
	Store backdesk.UserStore
	Audit backdesk.AuditWriter
	// Freed offers the times an erasure frees to the waitlist; nil: none.
	Freed FreedTimes
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

// ValidateNewUser checks an account before anything is stored, and names
// every problem at once (the first in Field, all in Fields).
func ValidateNewUser(nu backdesk.NewUser) error {
	fields := map[string]string{}
	var order []string
	bad := func(field, msg string) {
		if _, ok := fields[field]; !ok {
			fields[field] = msg
			order = append(order, field)
		}
	}
	name := strings.TrimSpace(nu.Name)
	if !backdesk.ValidEmail(strings.TrimSpace(nu.Email)) {
		bad("email", "Please give an email address such as name@example.org.")
	}
	switch {
	case name == "":
		bad("name", "Please give your name.")
	case utf8.RuneCountInString(name) > backdesk.MaxNameLength:
		bad("name", fmt.Sprintf("Your name can be at most %d characters.", backdesk.MaxNameLength))
	}
	if !nu.Role.Valid() {
		bad("role", "role must be one of patient, practitioner, reception, admin")
	}
	if err := CheckPasswordStrength(nu.Password, nu.Email, nu.Name); err != nil {
		bad("password", backdesk.ErrorMessage(err))
	}
	if nu.Confirming && nu.PasswordAgain != nu.Password {
		bad("password_again", "The two passwords are not the same: please type the same password twice.")
	}
	if len(order) == 0 {
		return nil
	}
	return &backdesk.Error{Code: backdesk.CodeInvalid, Message: fields[order[0]], Field: order[0], Fields: fields}
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
	// The clinic makes this account and vouches for its address.
	u := &backdesk.User{Email: strings.TrimSpace(nu.Email), Name: strings.TrimSpace(nu.Name), Role: nu.Role, PractitionerID: nu.PractitionerID, EmailVerified: true}
	if err := s.Store.InsertUser(ctx, u, hash, backdesk.NewAuditEntry(a, backdesk.AuditAccountCreate, 0, "account", "")); err != nil {
		return nil, err
	}
	return u, nil
}

// Register creates a patient account for anyone, unconfirmed, and emails
// its address a link to confirm it. When the email already has an account
// it emails that account's owner instead, and answers just the same: it
// never says whether an email has an account. Registrations are counted
// per client address in the database, so the limit holds across
// processes.
func (s *UserService) Register(ctx context.Context, nu backdesk.NewUser) error {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return err
	}
	nu.Role, nu.PractitionerID = backdesk.RolePatient, 0
	if err := ValidateNewUser(nu); err != nil {
		return err
	}
	now := s.Now()
	a := backdesk.ActorFromContext(ctx)
	if a.Source != "" {
		if err := s.countAttempt(ctx, backdesk.RegisterKey(a.Source), RegisterLimit, RegisterWindow, now,
			"Too many accounts have been made from your network just now. Try again in %s."); err != nil {
			return err
		}
	}
	// The password is hashed whether or not the account is made, so that
	// the answer takes as long either way.
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return err
	}
	owner, _, err := s.Store.FindUserByEmail(ctx, nu.Email)
	switch backdesk.ErrorCode(err) {
	case "":
		return s.tellOwner(ctx, owner, now)
	case backdesk.CodeNotFound:
	default:
		return err
	}
	u := &backdesk.User{Email: strings.TrimSpace(nu.Email), Name: strings.TrimSpace(nu.Name), Role: backdesk.RolePatient}
	err = s.Store.InsertUser(ctx, u, hash, backdesk.NewAuditEntry(a, backdesk.AuditAccountCreate, 0, "account", ""))
	if backdesk.ErrorCode(err) == backdesk.CodeConflict {
		// Registered at the same moment by another request: its owner has
		// the confirmation link; this one is answered as any other.
		return nil
	} else if err != nil {
		return err
	}
	return s.sendVerification(ctx, u, nu.Next, now)
}

// countAttempt refuses an attempt once limit are counted under key in
// window (CodeRateLimited, its message from format with the wait), and
// counts it otherwise.
func (s *UserService) countAttempt(ctx context.Context, key string, limit int, window time.Duration, now time.Time, format string) error {
	n, oldest, err := s.Store.CountLoginFailures(ctx, key, now.Add(-window))
	if err != nil {
		return err
	}
	if n >= limit {
		wait := oldest.Add(window).Sub(now).Round(time.Second)
		if wait < time.Second {
			wait = time.Second
		}
		return &backdesk.Error{Code: backdesk.CodeRateLimited, RetryAfter: wait, Message: fmt.Sprintf(format, humanDuration(wait))}
	}
	return s.Store.RecordLoginFailure(ctx, []string{key}, now)
}

// sendVerification emails u a link that confirms its address.
func (s *UserService) sendVerification(ctx context.Context, u *backdesk.User, next string, now time.Time) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	link := strings.TrimRight(s.BaseURL, "/") + "/verify-email/" + token
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && next != "/" {
		// Back to the page they were on (web checks it again on the way).
		link += "?" + url.Values{"next": {next}}.Encode()
	}
	msg := &backdesk.OutboxMessage{Kind: "email_verification", To: u.Email, Sensitive: true,
		Subject: "Confirm your email address for " + s.ClinicName,
		Body: "Hello " + u.Name + ",\n\nThank you for making an account at " + s.ClinicName + ". " +
			"To confirm that this email address is yours, open this link within 48 hours and press the button on the page:\n\n" + link + "\n\n" +
			"Once it is confirmed, you can book appointments online. " +
			"If you did not make this account, ignore this email: nothing can be booked with it until the address is confirmed.\n\n" + s.ClinicName + "\n"}
	return s.Store.InsertEmailVerification(ctx, TokenHash(token), u.ID, now.Add(VerifyLifetime), msg)
}

// tellOwner emails the owner of an account that someone tried to register
// their address again, at most NoticeLimit times a day.
func (s *UserService) tellOwner(ctx context.Context, owner *backdesk.User, now time.Time) error {
	n, _, err := s.Store.CountLoginFailures(ctx, backdesk.NoticeKey(owner.Email), now.Add(-24*time.Hour))
	if err != nil || n >= NoticeLimit {
		return err
	}
	if err := s.Store.RecordLoginFailure(ctx, []string{backdesk.NoticeKey(owner.Email)}, now); err != nil {
		return err
	}
	base := strings.TrimRight(s.BaseURL, "/")
	return s.Store.InsertAccountEmail(ctx, &backdesk.OutboxMessage{Kind: "account_exists", To: owner.Email,
		Subject: "Someone tried to make an account with your email address",
		Body: "Hello " + owner.Name + ",\n\nSomeone asked to make an account at " + s.ClinicName + " with this email address. " +
			"You already have one, so nothing has been changed.\n\n" +
			"To sign in: " + base + "/login\n" +
			"If you have forgotten your password, or did not choose it yourself, choose a new one: " + base + "/password-reset\n\n" +
			"If it was not you who asked, you need do nothing.\n\n" + s.ClinicName + "\n"})
}

// VerifyEmail confirms an account's address with its link's token.
func (s *UserService) VerifyEmail(ctx context.Context, token string) error {
	if err := changes(backdesk.ActorFromContext(ctx)); err != nil {
		return err
	}
	if token == "" {
		return errVerifyToken
	}
	_, err := s.Store.VerifyEmail(ctx, TokenHash(token), s.Now(),
		backdesk.NewAuditEntry(backdesk.ActorFromContext(ctx), backdesk.AuditEmailVerify, 0, "account", ""))
	return err
}

var errVerifyToken = backdesk.FieldError("token", "This confirmation link is not complete: open the link from the email as it is.")

// ResendVerification emails the signed-in account a new confirmation link.
func (s *UserService) ResendVerification(ctx context.Context) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if err := changes(a); err != nil {
		return err
	}
	u, err := s.Store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	if u.EmailVerified {
		return backdesk.Errorf(backdesk.CodeConflict, "Your email address is already confirmed.")
	}
	now := s.Now()
	if err := s.countAttempt(ctx, backdesk.VerifyKey(u.ID), ResendLimit, RegisterWindow, now,
		"We have sent the link several times already. Check your spam folder, or try again in %s."); err != nil {
		return err
	}
	return s.sendVerification(ctx, u, "", now)
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
	keys := loginKeys(ctx, email)
	if err := s.passwordLimit(ctx, keys, now); err != nil {
		return nil, nil, err
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

// loginKeys are the keys a password check is counted under: the account's
// email, and the client address when known.
func loginKeys(ctx context.Context, email string) []string {
	keys := []string{backdesk.AccountLoginKey(email)}
	if src := backdesk.ActorFromContext(ctx).Source; src != "" {
		keys = append(keys, backdesk.AddressLoginKey(src))
	}
	return keys
}

// passwordLimit refuses a password check once the failures counted under
// keys (an account's, then an address's) in LoginWindow reach their
// limits: CodeRateLimited with RetryAfter. Sign-in and every other check
// of a password (erasure) count together, so that guessing one way does
// not go on another.
func (s *UserService) passwordLimit(ctx context.Context, keys []string, now time.Time) error {
	for i, key := range keys {
		limit := AccountLoginLimit
		if i > 0 {
			limit = AddressLoginLimit
		}
		n, oldest, err := s.Store.CountLoginFailures(ctx, key, now.Add(-LoginWindow))
		if err != nil {
			return err
		}
		if n >= limit {
			wait := oldest.Add(LoginWindow).Sub(now).Round(time.Second)
			if wait < time.Second {
				wait = time.Second
			}
			return &backdesk.Error{Code: backdesk.CodeRateLimited, RetryAfter: wait,
				Message: fmt.Sprintf("Too many wrong passwords. Try again in %s, or reset your password.", humanDuration(wait))}
		}
	}
	return nil
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
	return Grant(backdesk.Actor{UserID: u.ID, Role: u.Role, PatientID: u.PatientID, PractitionerID: u.PractitionerID, Name: u.Name,
		Unverified: u.Role.HasPatientRecord() && !u.EmailVerified}), nil
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
	a, err := attempt(ctx, backdesk.OpEraseAccount)
	if err != nil {
		return err
	}
	u, err := s.Store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	now := s.Now()
	keys := loginKeys(ctx, u.Email)
	if err := s.passwordLimit(ctx, keys, now); err != nil {
		return err
	}
	_, hash, err := s.Store.FindUserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	if !CheckPassword(hash, password) {
		if err := s.Store.RecordLoginFailure(ctx, keys, now); err != nil {
			return err
		}
		return backdesk.FieldError("password", "The password is not right; your account was not erased.")
	}
	cancelled, err := s.Store.EraseUser(ctx, a.UserID, backdesk.NewAuditEntry(a, backdesk.AuditPersonalErase, a.PatientID, "account", fmt.Sprint(a.UserID)))
	if err != nil {
		return err
	}
	if s.Freed != nil {
		s.Freed.Released(ctx, cancelled)
	}
	return nil
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
