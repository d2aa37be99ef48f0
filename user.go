package backdesk

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Role is what an account may do. The names are fixed by spec/interfaces.md.
type Role string

const (
	RolePatient      Role = "patient"
	RolePractitioner Role = "practitioner"
	RoleReception    Role = "reception"
	RoleAdmin        Role = "admin"
	// RoleSystem is the clinic's own processing (SystemActor); no account
	// has it.
	RoleSystem Role = "system"
	// RoleReadOnly is an integration's token that reads the clinic's
	// records and changes nothing (TokenRoles); no account has it.
	RoleReadOnly Role = "read_only"
)

// Roles lists every role an account may have, for validation and forms.
var Roles = []Role{RolePatient, RolePractitioner, RoleReception, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// HasPatientRecord reports whether an account of role r comes with a
// patient record (a patient's own).
func (r Role) HasPatientRecord() bool { return r == RolePatient }

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 12

// User is an account that can sign in. A patient account is linked to a
// patient record; a practitioner account may be linked to a practitioner.
type User struct {
	ID             int64  `json:"id,string"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	Role           Role   `json:"role"`
	PatientID      int64  `json:"patient_id,string,omitempty"`
	PractitionerID int64  `json:"practitioner_id,string,omitempty"`
	// EmailVerified says the account has shown that its email address is
	// its own (a link sent there was opened), or was made by the clinic.
	// A patient's account books only once it is.
	EmailVerified bool      `json:"email_verified"`
	CreatedAt     time.Time `json:"created_at"`
}

// NewUser is what creating an account needs. Password is plain text; only its
// hash is ever stored.
type NewUser struct {
	Email          string
	Name           string
	Role           Role
	Password       string
	PractitionerID int64
	// Confirming says the password was typed twice (a form), the second
	// time as PasswordAgain, which must then be the same.
	Confirming    bool
	PasswordAgain string
	// Next is the page of this site to come back to once the address is
	// confirmed (a time being booked); the emailed link carries it.
	Next string
}

// Session is a signed-in browser or API client. Token is returned once, at
// creation; the store keeps only its hash.
type Session struct {
	Token     string
	UserID    int64
	ExpiresAt time.Time
}

// UserService manages accounts and sign-in.
type UserService interface {
	// CreateUser validates nu and creates the account (and, for a patient, the
	// patient record), its email address taken as verified; admins and the
	// system only. CodeConflict if the email is taken; CodeInvalid for a bad
	// email, name, role or a weak password.
	CreateUser(ctx context.Context, nu NewUser) (*User, error)
	// Register creates a patient account for anyone and emails its address
	// a link to confirm it; when the email already has an account, it
	// emails that account's owner instead. It answers the same either way,
	// so that it does not tell who has an account, and starts no session.
	// CodeInvalid for bad input; CodeRateLimited, with RetryAfter, after too
	// many registrations from the client address.
	Register(ctx context.Context, nu NewUser) error
	// VerifyEmail confirms an account's email address with the token of
	// the link Register sent. CodeInvalid for a used, expired or unknown
	// token.
	VerifyEmail(ctx context.Context, token string) error
	// ResendVerification emails the signed-in account a new link to
	// confirm its address. CodeConflict when it is confirmed already;
	// CodeRateLimited after a few.
	ResendVerification(ctx context.Context) error
	// FindUserByID returns the signed-in user's own account, or any for an
	// admin; CodeNotFound otherwise and if there is no such user.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// Authenticate checks email and password and starts a session.
	// CodeUnauthorized on a wrong email or password (the same for both);
	// CodeRateLimited, with RetryAfter, after too many failures for the
	// account or the client address.
	Authenticate(ctx context.Context, email, password string) (*Session, *User, error)
	// ActorForSession returns the actor of a live session token;
	// CodeUnauthorized when the token is unknown or expired.
	ActorForSession(ctx context.Context, token string) (Actor, error)
	// EndSession deletes the session; unknown tokens are not an error.
	EndSession(ctx context.Context, token string) error
	// RequestPasswordReset emails a single-use, expiring reset link if the
	// email has an account; it says nothing either way.
	RequestPasswordReset(ctx context.Context, email string) error
	// ResetPassword sets a new password with a reset token, ends every
	// session and every other reset link of the account, and (the link having
	// reached it) confirms its email address. CodeInvalid for a used, expired
	// or unknown token.
	ResetPassword(ctx context.Context, token, password string) error
	// ExportPersonalData returns everything held about the signed-in user.
	ExportPersonalData(ctx context.Context) (*PersonalData, error)
	// EraseAccount erases the signed-in patient's personal data after
	// checking their password (a wrong one counts as a failed sign-in:
	// CodeRateLimited past the limit); what the clinic must retain stays,
	// anonymised. Their future appointments are cancelled, and the times
	// offered to the waitlist.
	EraseAccount(ctx context.Context, password string) error
}

// PersonalData is everything the clinic holds about one person.
type PersonalData struct {
	ExportedAt  time.Time       `json:"exported_at"`
	User        *User           `json:"account"`
	Patient     *Patient        `json:"patient,omitempty"`
	Assessments []*Assessment   `json:"assessments"`
	Referrals   []*Referral     `json:"referrals"`
	Notes       []*ClinicalNote `json:"clinical_notes"`
	// Appointments are every booking of theirs, past, future and cancelled.
	Appointments    []*Booking       `json:"appointments"`
	WaitlistEntries []*WaitlistEntry `json:"waitlist_entries"`
	WaitlistOffers  []*WaitlistOffer `json:"waitlist_offers"`
	// ContactMessages are the messages they sent the clinic (signed in, or
	// from their email address), with the clinic's answers.
	ContactMessages []*ContactMessage `json:"contact_messages"`
	// DetailChanges is the history of the patient record's details.
	DetailChanges []*PatientChange `json:"detail_changes"`
	// Intakes are the health questions answered before first visits.
	Intakes    []*Intake     `json:"intakes"`
	Sessions   []SessionInfo `json:"sessions"`
	AuditTrail []*AuditEntry `json:"audit_trail"`
	// Messages are the emails sent to them.
	Messages []OutboxMessage `json:"messages"`
	// The treatment plan with every version, the exercises logged, the
	// outcome scores, the email settings and the questionnaires emailed.
	CarePlans        []*CarePlan        `json:"care_plans"`
	CarePlanVersions []*CarePlanVersion `json:"care_plan_versions"`
	ExerciseLogs     []*ExerciseLog     `json:"exercise_logs"`
	Outcomes         []*Outcome         `json:"outcomes"`
	ReminderSettings *ReminderSettings  `json:"reminder_settings,omitempty"`
	OutcomeRequests  []*OutcomeRequest  `json:"outcome_requests"`
	// WebhookNotices are the webhook events that named them (ids, never
	// their details) and the integrations they went to.
	WebhookNotices []*WebhookNotice `json:"webhook_notices"`
}

// SessionInfo describes a session without its token.
type SessionInfo struct {
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserStore is the storage under UserService; clinic adds password hashing
// and session tokens on top.
type UserStore interface {
	// InsertUser stores u with passwordHash, and for a patient also a patient
	// record, with the audit line; fills ID, PatientID, CreatedAt. The email
	// is stored as verified when u.EmailVerified. CodeConflict if the email
	// is taken.
	InsertUser(ctx context.Context, u *User, passwordHash string, audit *AuditEntry) error
	FindUserByID(ctx context.Context, id int64) (*User, error) // CodeNotFound
	// FindUserByEmail returns the user and the stored password hash.
	FindUserByEmail(ctx context.Context, email string) (*User, string, error) // CodeNotFound
	// InsertSession stores a session under the hash of its token.
	InsertSession(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error
	// FindSessionUser returns the user of a session that has not expired at now.
	FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*User, error) // CodeNotFound
	DeleteSession(ctx context.Context, tokenHash string) error

	// RecordLoginFailure notes an attempt under each key at at: a failed
	// sign-in (or another wrong password), and the other attempts that are
	// limited by count (a registration, a resent link), each under keys of
	// its own.
	RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error
	// CountLoginFailures counts attempts under key since since, and returns
	// the oldest of them.
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	// ClearLoginFailures forgets the failures under key.
	ClearLoginFailures(ctx context.Context, key string) error

	// InsertPasswordReset stores a reset token's hash and, in the same
	// transaction, the email that carries the link.
	InsertPasswordReset(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *OutboxMessage) error
	// ResetPassword uses a reset token once: sets the password hash and ends
	// every session of the account, in one transaction with the audit line
	// (whose user and patient it fills). CodeInvalid when the token is
	// unknown, used or expired at now.
	ResetPassword(ctx context.Context, tokenHash, passwordHash string, now time.Time, audit *AuditEntry) (int64, error)

	// InsertEmailVerification stores the hash of a token that confirms
	// userID's email address and, in the same transaction, the email that
	// carries the link.
	InsertEmailVerification(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *OutboxMessage) error
	// VerifyEmail uses a verification token once: marks the account's
	// email verified and ends every link of it, in one transaction with the
	// audit line (whose user and patient it fills); it returns the user.
	// CodeInvalid when the token is unknown, used or expired at now.
	VerifyEmail(ctx context.Context, tokenHash string, now time.Time, audit *AuditEntry) (int64, error)
	// InsertAccountEmail stores an email about an account that carries no
	// link (someone tried to register its address again).
	InsertAccountEmail(ctx context.Context, msg *OutboxMessage) error

	// ExportPersonalData gathers everything held about a user.
	ExportPersonalData(ctx context.Context, userID int64) (*PersonalData, error)
	// EraseUser removes the account and everything that names it (see
	// PatientStore.ErasePatient for the patient record), in one transaction
	// with the audit line, and returns the future bookings it cancelled.
	EraseUser(ctx context.Context, userID int64, audit *AuditEntry) ([]*Booking, error)
}

// AccountLoginKey is the key sign-in failures for an email are counted
// under, whether or not the account exists.
func AccountLoginKey(email string) string {
	return "account:" + strings.ToLower(strings.TrimSpace(email))
}

// AddressLoginKey is the key sign-in failures from a client address are
// counted under.
func AddressLoginKey(addr string) string { return "address:" + addr }

// RegisterKey is the key registrations from a client address are counted
// under.
func RegisterKey(addr string) string { return "register:" + addr }

// NoticeKey is the key emails telling an account's owner that someone
// tried to register their address are counted under.
func NoticeKey(email string) string {
	return "notice:" + strings.ToLower(strings.TrimSpace(email))
}

// VerifyKey is the key the links sent again to confirm an account's
// address are counted under.
func VerifyKey(userID int64) string { return "verify:" + strconv.FormatInt(userID, 10) }

// EmailKeys are the counting keys that name an email address, which its
// erasure removes.
func EmailKeys(email string) []string { return []string{AccountLoginKey(email), NoticeKey(email)} }
