package backdesk

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// APIToken is a credential an admin makes for another system (an
// integration): a name, a role, and a secret shown once at creation.
// Requests carry the secret as "Authorization: Bearer …" on /api/v1 and
// /fhir; the store keeps only its SHA-256, so a token cannot be read back,
// only revoked.
type APIToken struct {
	ID int64 `json:"id,string"`
	// Name says which integration uses it; unique among all tokens ever
	// made, so that the audit log, which records it, names one token.
	Name string `json:"name"`
	// Role is one of TokenRoles: what the integration may do, as that role
	// may (clinic/access.go).
	Role       Role       `json:"role"`
	CreatedBy  int64      `json:"created_by,string,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Revoked reports whether the token has been revoked.
func (t *APIToken) Revoked() bool { return t.RevokedAt != nil }

// NewAPIToken is a token as created: its record and the secret, which
// exists only in this answer.
type NewAPIToken struct {
	APIToken
	Secret string `json:"token"`
}

// APITokenPrefix starts every token's secret, so that a leaked one is easy to
// recognise (by a person or a secret scanner).
const APITokenPrefix = "bdk_"

// TokenRoles are the roles a token may have: reading the clinic's records
// and changing nothing, the front desk's, or an admin's.
var TokenRoles = []Role{RoleReadOnly, RoleReception, RoleAdmin}

// ValidTokenRole reports whether r is one of TokenRoles.
func ValidTokenRole(r Role) bool { return slices.Contains(TokenRoles, r) }

// TokenRoleLabel is a token role in plain words.
func TokenRoleLabel(r Role) string {
	switch r {
	case RoleReadOnly:
		return "Read-only: the clinic's records, changing nothing"
	case RoleReception:
		return "Reception: book, move and cancel, record patients"
	case RoleAdmin:
		return "Admin: everything an admin may do"
	}
	return string(r)
}

// Validate checks a new token's name and role, and tidies the name.
func (t *APIToken) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return FieldError("name", "name the integration that will use the token")
	case utf8.RuneCountInString(t.Name) > 100:
		return FieldError("name", "name can be at most 100 characters")
	case strings.ContainsAny(t.Name, "\r\n\t"):
		return FieldError("name", "name must be one line")
	case !ValidTokenRole(t.Role):
		return FieldError("role", "role must be read_only, reception or admin")
	}
	return nil
}

// APITokenService is API tokens as admins manage them, and as the web layer
// identifies a request that carries one.
type APITokenService interface {
	// CreateAPIToken makes a token; admins only. The secret is in the
	// answer and nowhere else. CodeConflict when the name is taken.
	CreateAPIToken(ctx context.Context, name string, role Role) (*NewAPIToken, error)
	// FindAPITokens lists every token, revoked ones too, newest first;
	// admins only.
	FindAPITokens(ctx context.Context) ([]*APIToken, error)
	// RevokeAPIToken switches a token off at once, for every process;
	// admins only. CodeNotFound for no such token.
	RevokeAPIToken(ctx context.Context, id int64) error
	// ActorForAPIToken returns the actor of a live token's secret and
	// records the use (its last-used time, and an audit line naming
	// request, a method and path); CodeUnauthorized when the secret is
	// unknown or revoked.
	ActorForAPIToken(ctx context.Context, secret, request string) (Actor, error)
}

// APITokenStore keeps tokens by the hash of their secret.
type APITokenStore interface {
	// InsertAPIToken stores t under secretHash with its audit line; fills
	// ID and CreatedAt. CodeConflict when the name is taken.
	InsertAPIToken(ctx context.Context, t *APIToken, secretHash string, audit *AuditEntry) error
	FindAPITokens(ctx context.Context) ([]*APIToken, error)
	// FindAPITokenByHash returns the token of a secret's hash, revoked or
	// not; CodeNotFound.
	FindAPITokenByHash(ctx context.Context, secretHash string) (*APIToken, error)
	// RevokeAPIToken marks a token revoked at at (CodeNotFound; revoking it
	// again changes nothing), with the audit line.
	RevokeAPIToken(ctx context.Context, id int64, at time.Time, audit *AuditEntry) error
	// TouchAPIToken records a use of a token that is not revoked: its
	// last-used time and the use's audit line, in one transaction.
	// CodeUnauthorized when the token has been revoked meanwhile.
	TouchAPIToken(ctx context.Context, id int64, at time.Time, audit *AuditEntry) error
}
