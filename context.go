package backdesk

import "context"

type contextKey int

const actorKey contextKey = iota

// Actor is who is making a request. The zero Actor is anonymous.
type Actor struct {
	UserID    int64
	Role      Role
	PatientID int64  // set for role patient: their own patient record
	Name      string // for display
	// PractitionerID is set when the account belongs to a practitioner.
	PractitionerID int64
	// Source is where the request came from (client address), for audit.
	Source string
}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.UserID == 0 }

// IsStaff reports whether the actor works for the clinic (reception, admin,
// practitioner).
func (a Actor) IsStaff() bool {
	return a.Role == RoleReception || a.Role == RoleAdmin || a.Role == RolePractitioner
}

// NewContextWithActor returns a copy of ctx carrying a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFromContext returns the actor of ctx; anonymous when none was set.
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey).(Actor)
	return a
}

// RequireRole returns CodeUnauthorized when nobody is signed in and
// CodeForbidden when the actor has none of roles.
func RequireRole(ctx context.Context, roles ...Role) error {
	a := ActorFromContext(ctx)
	if a.Anonymous() {
		return Errorf(CodeUnauthorized, "Please sign in.")
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return Errorf(CodeForbidden, "You do not have permission to do that.")
}
