package backdesk

import (
	"context"
	"time"
)

// Role is what an account may do. The names are fixed by spec/interfaces.md.
type Role string

const (
	RolePatient      Role = "patient"
	RolePractitioner Role = "practitioner"
	RoleReception    Role = "reception"
	RoleAdmin        Role = "admin"
)

// Roles lists every role, for validation and forms.
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

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 12

// User is an account that can sign in. A patient account is linked to a
// patient record; a practitioner account may be linked to a practitioner.
type User struct {
	ID             int64     `json:"id,string"`
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	PatientID      int64     `json:"patient_id,string,omitempty"`
	PractitionerID int64     `json:"practitioner_id,string,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// NewUser is what creating an account needs. Password is plain text; only its
// hash is ever stored.
type NewUser struct {
	Email          string
	Name           string
	Role           Role
	Password       string
	PractitionerID int64
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
	// patient record). CodeConflict if the email is taken; CodeInvalid for a
	// bad email, name, role or a password that is too short.
	CreateUser(ctx context.Context, nu NewUser) (*User, error)
	// FindUserByID returns CodeNotFound if there is no such user.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// Authenticate checks email and password and starts a session.
	// CodeUnauthorized on a wrong email or password (the same for both).
	Authenticate(ctx context.Context, email, password string) (*Session, *User, error)
	// ActorForSession returns the actor of a live session token;
	// CodeUnauthorized when the token is unknown or expired.
	ActorForSession(ctx context.Context, token string) (Actor, error)
	// EndSession deletes the session; unknown tokens are not an error.
	EndSession(ctx context.Context, token string) error
}

// UserStore is the storage under UserService; clinic adds password hashing
// and session tokens on top.
type UserStore interface {
	// InsertUser stores u with passwordHash, and for a patient also a patient
	// record; fills ID, PatientID, CreatedAt. CodeConflict if the email is taken.
	InsertUser(ctx context.Context, u *User, passwordHash string) error
	FindUserByID(ctx context.Context, id int64) (*User, error) // CodeNotFound
	// FindUserByEmail returns the user and the stored password hash.
	FindUserByEmail(ctx context.Context, email string) (*User, string, error) // CodeNotFound
	// InsertSession stores a session under the hash of its token.
	InsertSession(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error
	// FindSessionUser returns the user of a session that has not expired at now.
	FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*User, error) // CodeNotFound
	DeleteSession(ctx context.Context, tokenHash string) error
}
