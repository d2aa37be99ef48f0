package clinic

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/netip"
	"slices"

	"backdesk"
)

// This file is the one home of who may do what. Every service of this
// package checks its caller here, for every method that web (or any other
// caller) can reach; the layers around it only identify the caller (web)
// or keep the data (sqlstore). TestAuthorizationHasOneHome fails when a
// check appears anywhere else.
//
// Why here and not beside the data, as in benbjohnson/wtf: backdesk has two
// storage backends behind one sqlstore, and the rules need facts that no
// single table holds (a practitioner may read a patient's records when they
// treat them: an appointment today, a referral tomorrow). Deciding them once,
// above the store, keeps the SQL free of policy and lets one table test
// cover every rule for both databases.

// roleGrants are the permissions of each role. The system, the clinic's
// own background work, may do everything; it is never an account's role.
var roleGrants = map[backdesk.Role][]backdesk.Permission{
	backdesk.RolePatient:      {backdesk.PermBookForSelf},
	backdesk.RolePractitioner: {backdesk.PermTreat},
	backdesk.RoleReception:    {backdesk.PermFrontDesk},
	backdesk.RoleAdmin: {backdesk.PermFrontDesk, backdesk.PermEditCatalogue, backdesk.PermReadAudit,
		backdesk.PermErasePatients, backdesk.PermManageFeeds, backdesk.PermManageAccounts},
	backdesk.RoleSystem: {backdesk.PermFrontDesk, backdesk.PermEditCatalogue, backdesk.PermReadAudit,
		backdesk.PermErasePatients, backdesk.PermManageFeeds, backdesk.PermManageAccounts},
}

// Grant returns a with the permissions of its role, for the pages to show
// the right links. The checks below read the role, not Grants.
func Grant(a backdesk.Actor) backdesk.Actor {
	a.Grants = roleGrants[a.Role]
	return a
}

// may reports whether a's role carries p.
func may(a backdesk.Actor, p backdesk.Permission) bool {
	return slices.Contains(roleGrants[a.Role], p)
}

var (
	errSignIn    = backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	errForbidden = backdesk.Errorf(backdesk.CodeForbidden, "You do not have permission to do that.")
)

// signedIn returns the actor of ctx, or CodeUnauthorized for nobody.
func signedIn(ctx context.Context) (backdesk.Actor, error) {
	a := backdesk.ActorFromContext(ctx)
	if a.Anonymous() {
		return a, errSignIn
	}
	return a, nil
}

// require returns the actor of ctx if they may p: CodeUnauthorized for
// nobody, CodeForbidden for someone who may not.
func require(ctx context.Context, p backdesk.Permission) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	if !may(a, p) {
		return a, errForbidden
	}
	return a, nil
}

// requireAny is require for an action that any of ps allows.
func requireAny(ctx context.Context, ps ...backdesk.Permission) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	for _, p := range ps {
		if may(a, p) {
			return a, nil
		}
	}
	return a, errForbidden
}

// operation is who may attempt an operation: an actor with any of may (or
// anyone signed in, when may is empty), and what others are told.
type operation struct {
	may     []backdesk.Permission
	refusal string
}

// operations are the first check of each operation: the service that does
// it begins with attempt, and web asks the same (Precheck) before it reads
// the request's body. The service then checks what the request names
// (whose booking, which patient).
var operations = map[backdesk.Operation]operation{
	backdesk.OpEditCatalogue: {may: []backdesk.Permission{backdesk.PermEditCatalogue}},
	backdesk.OpBook:          {may: []backdesk.Permission{backdesk.PermBookForSelf, backdesk.PermFrontDesk}, refusal: "Appointments are booked by patients and by reception."},
	backdesk.OpWaitlist:      {may: []backdesk.Permission{backdesk.PermBookForSelf, backdesk.PermFrontDesk}, refusal: "Patients and reception use the waitlist."},
	backdesk.OpChangeBooking: {}, // the booking decides: its patient, its practitioner, the desk
	backdesk.OpManageTimeOff: {may: []backdesk.Permission{backdesk.PermFrontDesk, backdesk.PermTreat}},
	backdesk.OpAnswerMessage: {may: []backdesk.Permission{backdesk.PermFrontDesk}},
	backdesk.OpRecordPatient: {may: []backdesk.Permission{backdesk.PermFrontDesk}},
	backdesk.OpErasePatient:  {may: []backdesk.Permission{backdesk.PermErasePatients}},
	backdesk.OpEraseAccount:  {may: []backdesk.Permission{backdesk.PermBookForSelf}, refusal: "Staff accounts are closed by an admin."},
}

// attempt returns the actor of ctx if they could be allowed op:
// CodeUnauthorized for nobody, CodeForbidden (with the operation's own
// words) for someone who may never.
func attempt(ctx context.Context, op backdesk.Operation) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	o, ok := operations[op]
	if !ok {
		return a, fmt.Errorf("unknown operation %q", op)
	}
	if len(o.may) == 0 {
		return a, nil
	}
	if _, err := requireAny(ctx, o.may...); err != nil {
		if o.refusal != "" {
			return a, backdesk.Errorf(backdesk.CodeForbidden, "%s", o.refusal)
		}
		return a, err
	}
	return a, nil
}

// Access implements backdesk.AccessService: for pages that show a form
// before anything is submitted, for requests before their bodies are read,
// and for the operators' metrics.
type Access struct {
	// Metrics says who reads the metrics; its zero value lets nobody.
	Metrics MetricsAccess
}

var _ backdesk.AccessService = Access{}

// Authorize checks that the actor may p.
func (Access) Authorize(ctx context.Context, p backdesk.Permission) error {
	_, err := require(ctx, p)
	return err
}

// Precheck checks that the actor could be allowed op.
func (Access) Precheck(ctx context.Context, op backdesk.Operation) error {
	_, err := attempt(ctx, op)
	return err
}

// MetricsAccess is who may read the operators' metrics: whoever presents
// Token as a bearer token, and requests from the Allow ranges (a
// monitoring host, a private network). Metrics are not an account's: no
// role reads them, and with neither set nobody does.
type MetricsAccess struct {
	Token string
	Allow []netip.Prefix
}

// AuthorizeMetrics checks a request for the metrics by its bearer token or
// its client address (the actor's Source, which web reads through any
// trusted proxies). A wrong token is CodeUnauthorized too, as RFC 6750
// answers an invalid bearer token.
func (m Access) AuthorizeMetrics(ctx context.Context, bearer string) error {
	if bearer != "" {
		if m.Metrics.Token != "" && subtle.ConstantTimeCompare([]byte(bearer), []byte(m.Metrics.Token)) == 1 {
			return nil
		}
		return backdesk.Errorf(backdesk.CodeUnauthorized, "That metrics token is not right.") // RFC 6750: invalid_token is 401
	}
	if addr, err := netip.ParseAddr(backdesk.ActorFromContext(ctx).Source); err == nil {
		for _, p := range m.Metrics.Allow {
			if p.Contains(addr.Unmap()) {
				return nil
			}
		}
	}
	return &backdesk.Error{Code: backdesk.CodeUnauthorized, Message: "The metrics need a bearer token (Authorization: Bearer …) or a request from an allowed address."}
}

// CareRelation tells whether a practitioner treats a patient: the relation
// that lets a practitioner see that patient's records.
type CareRelation interface {
	PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error)
}

// mayReadPatient reports whether a may see the records of patientID: the
// patient themselves, the front desk (reception, admin, the system), and a
// practitioner who treats them. care may be nil: then practitioners see no
// one's records.
func mayReadPatient(ctx context.Context, care CareRelation, a backdesk.Actor, patientID int64) (bool, error) {
	switch {
	case patientID == 0:
		return false, nil
	case may(a, backdesk.PermFrontDesk):
		return true, nil
	case may(a, backdesk.PermBookForSelf):
		return a.PatientID == patientID, nil
	case may(a, backdesk.PermTreat) && a.PractitionerID != 0 && care != nil:
		return care.PractitionerTreats(ctx, a.PractitionerID, patientID)
	}
	return false, nil
}

// mayReadBooking reports whether a may see (and change) b: its patient,
// the practitioner it is with, and the front desk.
func mayReadBooking(a backdesk.Actor, b *backdesk.Booking) bool {
	switch {
	case may(a, backdesk.PermFrontDesk):
		return true
	case may(a, backdesk.PermBookForSelf):
		return a.PatientID != 0 && a.PatientID == b.PatientID
	case may(a, backdesk.PermTreat):
		return a.PractitionerID != 0 && a.PractitionerID == b.PractitionerID
	}
	return false
}

// bookingFor says whose appointment the actor may book: a patient their
// own (any other patient id is CodeForbidden), the front desk a named
// patient (CodeInvalid without one); practitioners book through the desk.
func bookingFor(ctx context.Context, patientID int64) (backdesk.Actor, int64, error) {
	a, err := attempt(ctx, backdesk.OpBook)
	switch {
	case backdesk.ErrorCode(err) == backdesk.CodeUnauthorized:
		return a, 0, backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in to book.")
	case err != nil:
		return a, 0, err
	case may(a, backdesk.PermFrontDesk):
		if patientID == 0 {
			return a, 0, backdesk.FieldError("patient_id", "patient_id is required when staff book")
		}
		return a, patientID, nil
	case patientID != 0 && patientID != a.PatientID:
		return a, 0, backdesk.Errorf(backdesk.CodeForbidden, "Patients book for themselves.")
	case a.Unverified:
		return a, 0, errUnverified
	}
	return a, a.PatientID, nil
}

// errUnverified refuses booking and the waitlist to a patient whose account
// has not confirmed its email address (anyone can make an account with
// any address; reception's records are the clinic's own).
var errUnverified = backdesk.Errorf(backdesk.CodeForbidden,
	"Please confirm your email address first: open the link in the email we sent you. You can ask for it again from your account page.")

// waitlistFor is bookingFor for the waitlist.
func waitlistFor(ctx context.Context, patientID int64) (backdesk.Actor, int64, error) {
	a, err := attempt(ctx, backdesk.OpWaitlist)
	switch {
	case err != nil:
		return a, 0, err
	case may(a, backdesk.PermFrontDesk):
		if patientID == 0 {
			return a, 0, backdesk.FieldError("patient_id", "patient_id is required when staff add to the waitlist")
		}
		return a, patientID, nil
	case a.Unverified:
		return a, 0, errUnverified
	}
	return a, a.PatientID, nil
}

// timeOffScope says whose time off the actor manages: 0 for anyone's (the
// front desk), their own practitioner id for a practitioner, and
// CodeForbidden for everyone else.
func timeOffScope(ctx context.Context) (backdesk.Actor, int64, error) {
	a, err := attempt(ctx, backdesk.OpManageTimeOff)
	switch {
	case err != nil:
		return a, 0, err
	case may(a, backdesk.PermFrontDesk):
		return a, 0, nil
	case a.PractitionerID == 0:
		return a, 0, backdesk.Errorf(backdesk.CodeForbidden, "Your account is not linked to a practitioner.")
	}
	return a, a.PractitionerID, nil
}

// mayManageFeed checks that the actor may make or revoke practitionerID's
// calendar feed: that practitioner's own account, or an admin.
func mayManageFeed(ctx context.Context, practitionerID int64) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	switch {
	case err != nil:
		return a, err
	case may(a, backdesk.PermManageFeeds), may(a, backdesk.PermTreat) && a.PractitionerID == practitionerID:
		return a, nil
	}
	return a, backdesk.Errorf(backdesk.CodeForbidden, "Only the practitioner or an admin manages this calendar feed.")
}

// mayReadAccount checks that the actor may read user id's account: their
// own, or any for an admin; CodeNotFound otherwise.
func mayReadAccount(ctx context.Context, id int64) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if a.UserID != id && !may(a, backdesk.PermManageAccounts) {
		return backdesk.Errorf(backdesk.CodeNotFound, "User not found.")
	}
	return nil
}

// auditedRead reports whether a's read of a patient's records is audited:
// every read but a patient's of their own.
func auditedRead(a backdesk.Actor, patientID int64) bool {
	return !(may(a, backdesk.PermBookForSelf) && a.PatientID == patientID)
}
