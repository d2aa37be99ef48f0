package clinic

import (
	"context"
	"net/netip"
	"testing"

	"backdesk"
)

// treatsOnly says practitioner 5 treats patient 42 and nobody else.
type treatsOnly struct{}

func (treatsOnly) PractitionerTreats(_ context.Context, practitionerID, patientID int64) (bool, error) {
	return practitionerID == 5 && patientID == 42, nil
}

var (
	anonymous    = backdesk.Actor{}
	patient42    = backdesk.Actor{UserID: 1, Role: backdesk.RolePatient, PatientID: 42}
	patient43    = backdesk.Actor{UserID: 2, Role: backdesk.RolePatient, PatientID: 43}
	treating     = backdesk.Actor{UserID: 3, Role: backdesk.RolePractitioner, PractitionerID: 5}
	notTreating  = backdesk.Actor{UserID: 4, Role: backdesk.RolePractitioner, PractitionerID: 6}
	unlinked     = backdesk.Actor{UserID: 5, Role: backdesk.RolePractitioner}
	reception    = backdesk.Actor{UserID: 6, Role: backdesk.RoleReception}
	admin        = backdesk.Actor{UserID: 7, Role: backdesk.RoleAdmin}
	system       = backdesk.SystemActor("test")
	unknownRole  = backdesk.Actor{UserID: 8, Role: "owner"}
	readOnly     = backdesk.Actor{Role: backdesk.RoleReadOnly, Name: "reporting", TokenID: 3}
	unconfirmed  = backdesk.Actor{UserID: 9, Role: backdesk.RolePatient, PatientID: 44, Unverified: true}
	everyone     = []backdesk.Actor{anonymous, patient42, patient43, treating, notTreating, unlinked, reception, admin, system, unknownRole, readOnly}
	actorName    = map[int64]string{0: "anonymous", 1: "patient 42", 2: "patient 43", 3: "treating", 4: "not treating", 5: "unlinked", 6: "reception", 7: "admin", 8: "unknown role", 9: "unconfirmed patient 44"}
	permsByActor = map[string][]backdesk.Permission{
		"patient 42": {backdesk.PermBookForSelf}, "patient 43": {backdesk.PermBookForSelf},
		"treating":     {backdesk.PermTreat, backdesk.PermBrowseExercises, backdesk.PermWriteExercises},
		"not treating": {backdesk.PermTreat, backdesk.PermBrowseExercises, backdesk.PermWriteExercises},
		"unlinked":     {backdesk.PermTreat, backdesk.PermBrowseExercises, backdesk.PermWriteExercises},
		"reception":    {backdesk.PermFrontDesk, backdesk.PermBrowseExercises},
		"admin": {backdesk.PermFrontDesk, backdesk.PermEditCatalogue, backdesk.PermReadAudit, backdesk.PermErasePatients,
			backdesk.PermManageFeeds, backdesk.PermManageAccounts, backdesk.PermReadNotes, backdesk.PermBrowseExercises, backdesk.PermWriteExercises,
			backdesk.PermManageIntegrations},
		"read-only token": {backdesk.PermReadClinic},
	}
)

func name(a backdesk.Actor) string {
	if a.Role == backdesk.RoleSystem {
		return "system"
	}
	if a.TokenID != 0 {
		return "read-only token"
	}
	return actorName[a.UserID]
}

// TestAuthorize: each role has exactly its permissions; the system has
// every one; nobody signed in is unauthorized, an unknown role nothing.
func TestAuthorize(t *testing.T) {
	all := []backdesk.Permission{backdesk.PermEditCatalogue, backdesk.PermReadAudit, backdesk.PermErasePatients, backdesk.PermFrontDesk,
		backdesk.PermTreat, backdesk.PermBookForSelf, backdesk.PermManageFeeds, backdesk.PermManageAccounts, backdesk.PermReadNotes,
		backdesk.PermBrowseExercises, backdesk.PermWriteExercises, backdesk.PermRunJobs, backdesk.PermReadClinic, backdesk.PermManageIntegrations}
	for _, a := range everyone {
		for _, p := range all {
			want := backdesk.CodeForbidden
			switch {
			case a.Anonymous():
				want = backdesk.CodeUnauthorized
			case a.Role == backdesk.RoleSystem && p != backdesk.PermTreat && p != backdesk.PermBookForSelf:
				want = ""
			}
			for _, q := range permsByActor[name(a)] {
				if q == p {
					want = ""
				}
			}
			err := Access{}.Authorize(backdesk.NewContextWithActor(context.Background(), a), p)
			if got := backdesk.ErrorCode(err); got != want {
				t.Errorf("Authorize(%s, %s) = %q, want %q", name(a), p, got, want)
			}
			if got := Grant(a).May(p); got != (want == "") {
				t.Errorf("Grant(%s).May(%s) = %v, want %v", name(a), p, got, want == "")
			}
		}
	}
}

// TestPatientAndBookingRecords: who sees patient 42's records and a
// booking of theirs with practitioner 5; who books and uses the waitlist
// for whom.
func TestPatientAndBookingRecords(t *testing.T) {
	ctx := context.Background()
	b := &backdesk.Booking{PatientID: 42, PractitionerID: 5}
	for _, tc := range []struct {
		actor            backdesk.Actor
		patient, booking bool
		bookFor          int64         // whose booking a request with patient_id 0 makes
		bookErr          backdesk.Code // and its refusal
		bookOther        backdesk.Code // a request naming patient 99
		audited          bool          // a read of patient 42's records is audited
		timeOff          backdesk.Code // managing practitioner 5's time off
		feed             backdesk.Code // managing practitioner 5's calendar feed
		account          backdesk.Code // reading user 1's account
		waitlistBookErr  backdesk.Code // joining the waitlist without a patient id
		waitlistFor      int64         // whose entry that makes
		manageAnyTimeOff bool
		change           bool // may cancel or move the booking
		readOnly         bool // refused every change (changes)
	}{
		{actor: anonymous, bookErr: backdesk.CodeUnauthorized, bookOther: backdesk.CodeUnauthorized, audited: true, timeOff: backdesk.CodeUnauthorized,
			feed: backdesk.CodeUnauthorized, account: backdesk.CodeUnauthorized, waitlistBookErr: backdesk.CodeUnauthorized},
		{actor: patient42, patient: true, booking: true, change: true, bookFor: 42, bookOther: backdesk.CodeForbidden, timeOff: backdesk.CodeForbidden,
			feed: backdesk.CodeForbidden, waitlistFor: 42},
		{actor: patient43, bookFor: 43, bookOther: backdesk.CodeForbidden, audited: true, timeOff: backdesk.CodeForbidden, feed: backdesk.CodeForbidden,
			account: backdesk.CodeNotFound, waitlistFor: 43},
		{actor: treating, patient: true, booking: true, change: true, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true,
			account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
		{actor: notTreating, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true, timeOff: backdesk.CodeForbidden,
			feed: backdesk.CodeForbidden, account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
		{actor: unlinked, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true, timeOff: backdesk.CodeForbidden,
			feed: backdesk.CodeForbidden, account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
		{actor: reception, patient: true, booking: true, change: true, bookErr: backdesk.CodeInvalid, audited: true, feed: backdesk.CodeForbidden,
			account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeInvalid, manageAnyTimeOff: true},
		{actor: admin, patient: true, booking: true, change: true, bookErr: backdesk.CodeInvalid, audited: true, waitlistBookErr: backdesk.CodeInvalid, manageAnyTimeOff: true},
		{actor: system, patient: true, booking: true, change: true, bookErr: backdesk.CodeInvalid, audited: true, waitlistBookErr: backdesk.CodeInvalid, manageAnyTimeOff: true},
		{actor: unknownRole, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true, timeOff: backdesk.CodeForbidden,
			feed: backdesk.CodeForbidden, account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
		// An integration's read-only token reads what the desk reads and
		// changes nothing.
		{actor: readOnly, patient: true, booking: true, readOnly: true, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true,
			timeOff: backdesk.CodeForbidden, feed: backdesk.CodeForbidden, account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
		// A patient whose account has not confirmed its email address sees
		// their own records but neither books nor joins the waitlist.
		{actor: unconfirmed, bookErr: backdesk.CodeForbidden, bookOther: backdesk.CodeForbidden, audited: true, timeOff: backdesk.CodeForbidden,
			feed: backdesk.CodeForbidden, account: backdesk.CodeNotFound, waitlistBookErr: backdesk.CodeForbidden},
	} {
		t.Run(name(tc.actor), func(t *testing.T) {
			a := tc.actor
			actx := backdesk.NewContextWithActor(ctx, a)
			if got, err := mayReadPatient(ctx, treatsOnly{}, a, 42); err != nil || got != tc.patient {
				t.Errorf("mayReadPatient = %v, %v; want %v", got, err, tc.patient)
			}
			if got := mayReadBooking(a, b); got != tc.booking {
				t.Errorf("mayReadBooking = %v, want %v", got, tc.booking)
			}
			if got := mayChangeBooking(a, b); got != tc.change {
				t.Errorf("mayChangeBooking = %v, want %v", got, tc.change)
			}
			if err := changes(a); (err != nil) != tc.readOnly || err != nil && backdesk.ErrorCode(err) != backdesk.CodeForbidden {
				t.Errorf("changes = %v, want refused: %v", err, tc.readOnly)
			}
			_, who, err := bookingFor(actx, 0)
			if backdesk.ErrorCode(err) != tc.bookErr || who != tc.bookFor {
				t.Errorf("bookingFor(0) = %d, %v; want %d, %q", who, err, tc.bookFor, tc.bookErr)
			}
			if _, who, err := bookingFor(actx, 99); backdesk.ErrorCode(err) != tc.bookOther || (err == nil && who != 99) {
				t.Errorf("bookingFor(99) = %d, %v; want code %q", who, err, tc.bookOther)
			}
			_, who, err = waitlistFor(actx, 0)
			if backdesk.ErrorCode(err) != tc.waitlistBookErr || who != tc.waitlistFor {
				t.Errorf("waitlistFor(0) = %d, %v; want %d, %q", who, err, tc.waitlistFor, tc.waitlistBookErr)
			}
			if got := auditedRead(a, 42); got != tc.audited {
				t.Errorf("auditedRead = %v, want %v", got, tc.audited)
			}
			if _, err := mayManageTimeOff(actx, 5); backdesk.ErrorCode(err) != tc.timeOff {
				t.Errorf("mayManageTimeOff(5) = %v, want %q", err, tc.timeOff)
			}
			if _, scope, err := timeOffScope(actx); err == nil && (scope == 0) != tc.manageAnyTimeOff {
				t.Errorf("timeOffScope = %d, want anyone's: %v", scope, tc.manageAnyTimeOff)
			}
			if _, err := mayManageFeed(actx, 5); backdesk.ErrorCode(err) != tc.feed {
				t.Errorf("mayManageFeed(5) = %v, want %q", err, tc.feed)
			}
			if err := mayReadAccount(actx, 1); backdesk.ErrorCode(err) != tc.account {
				t.Errorf("mayReadAccount(1) = %v, want %q", err, tc.account)
			}
		})
	}
}

// TestPrecheck: who could be allowed each operation at all, asked before a
// request's body is read; the services begin with the same check.
func TestPrecheck(t *testing.T) {
	const U, F = backdesk.CodeUnauthorized, backdesk.CodeForbidden
	// Codes by actor: anonymous, patient 42, patient 43, treating, not
	// treating, unlinked, reception, admin, system, unknown role, and an
	// integration's read-only token, which may attempt nothing (every
	// operation changes something).
	for _, tc := range []struct {
		op   backdesk.Operation
		want [11]backdesk.Code
	}{
		{backdesk.OpEditCatalogue, [11]backdesk.Code{U, F, F, F, F, F, F, "", "", F, F}},
		{backdesk.OpBook, [11]backdesk.Code{U, "", "", F, F, F, "", "", "", F, F}},
		{backdesk.OpWaitlist, [11]backdesk.Code{U, "", "", F, F, F, "", "", "", F, F}},
		{backdesk.OpChangeBooking, [11]backdesk.Code{U, "", "", "", "", "", "", "", "", "", F}},
		{backdesk.OpChangePatient, [11]backdesk.Code{U, "", "", "", "", "", "", "", "", "", F}},
		{backdesk.OpAnswerIntake, [11]backdesk.Code{U, "", "", "", "", "", "", "", "", "", F}},
		{backdesk.OpManageTimeOff, [11]backdesk.Code{U, F, F, "", "", "", "", "", "", F, F}},
		{backdesk.OpAnswerMessage, [11]backdesk.Code{U, F, F, F, F, F, "", "", "", F, F}},
		{backdesk.OpRecordPatient, [11]backdesk.Code{U, F, F, F, F, F, "", "", "", F, F}},
		{backdesk.OpErasePatient, [11]backdesk.Code{U, F, F, F, F, F, F, "", "", F, F}},
		{backdesk.OpManageIntegrations, [11]backdesk.Code{U, F, F, F, F, F, F, "", "", F, F}},
		{backdesk.OpEraseAccount, [11]backdesk.Code{U, "", "", F, F, F, F, F, F, F, F}},
	} {
		for i, a := range everyone {
			err := Access{}.Precheck(backdesk.NewContextWithActor(context.Background(), a), tc.op)
			if got := backdesk.ErrorCode(err); got != tc.want[i] {
				t.Errorf("Precheck(%s, %s) = %q (%v), want %q", name(a), tc.op, got, err, tc.want[i])
			}
		}
	}
	if err := (Access{}).Precheck(backdesk.NewContextWithActor(context.Background(), admin), "no_such_operation"); backdesk.ErrorCode(err) != backdesk.CodeInternal {
		t.Errorf("an unknown operation = %v, want an internal error", err)
	}
}

// TestAuthorizeMetrics: the operators' token, or an allowed address;
// nothing else, whoever is signed in.
func TestAuthorizeMetrics(t *testing.T) {
	lan := netip.MustParsePrefix("10.0.0.0/8")
	for _, tc := range []struct {
		name   string
		access MetricsAccess
		source string
		actor  backdesk.Actor
		bearer string
		want   backdesk.Code
	}{
		{"the token", MetricsAccess{Token: "s3cret"}, "203.0.113.9", anonymous, "s3cret", ""},
		{"a wrong token", MetricsAccess{Token: "s3cret"}, "10.1.2.3", anonymous, "s3cre", backdesk.CodeUnauthorized},
		{"no token", MetricsAccess{Token: "s3cret"}, "203.0.113.9", anonymous, "", backdesk.CodeUnauthorized},
		{"an allowed address", MetricsAccess{Allow: []netip.Prefix{lan}}, "10.1.2.3", anonymous, "", ""},
		{"an IPv4-mapped allowed address", MetricsAccess{Allow: []netip.Prefix{lan}}, "::ffff:10.1.2.3", anonymous, "", ""},
		{"another address", MetricsAccess{Allow: []netip.Prefix{lan}}, "192.0.2.1", anonymous, "", backdesk.CodeUnauthorized},
		{"nothing set", MetricsAccess{}, "127.0.0.1", anonymous, "", backdesk.CodeUnauthorized},
		{"nothing set, a token", MetricsAccess{}, "127.0.0.1", anonymous, "anything", backdesk.CodeUnauthorized},
		{"an admin", MetricsAccess{Token: "s3cret"}, "203.0.113.9", admin, "", backdesk.CodeUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.actor
			a.Source = tc.source
			err := Access{Metrics: tc.access}.AuthorizeMetrics(backdesk.NewContextWithActor(context.Background(), a), tc.bearer)
			if got := backdesk.ErrorCode(err); got != tc.want {
				t.Errorf("AuthorizeMetrics = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestPlanRecords: who writes patient 42's plan, follows it (logs
// exercises, chooses its emails) and records their scores, and what
// everyone else is told: forbidden when they may see the records, not
// found when they may not.
func TestPlanRecords(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		actor         backdesk.Actor
		write, follow backdesk.Code
		record        backdesk.Code
		source        backdesk.OutcomeSource
	}{
		{anonymous, backdesk.CodeUnauthorized, backdesk.CodeUnauthorized, backdesk.CodeUnauthorized, ""},
		{patient42, backdesk.CodeForbidden, "", "", backdesk.SourceFollowUp},
		{patient43, backdesk.CodeNotFound, backdesk.CodeNotFound, backdesk.CodeNotFound, ""},
		{treating, "", backdesk.CodeForbidden, "", backdesk.SourceClinic},
		{notTreating, backdesk.CodeNotFound, backdesk.CodeNotFound, backdesk.CodeNotFound, ""},
		{unlinked, backdesk.CodeNotFound, backdesk.CodeNotFound, backdesk.CodeNotFound, ""},
		{reception, backdesk.CodeForbidden, backdesk.CodeForbidden, backdesk.CodeForbidden, ""},
		{admin, backdesk.CodeForbidden, backdesk.CodeForbidden, backdesk.CodeForbidden, ""},
		{system, backdesk.CodeForbidden, backdesk.CodeForbidden, backdesk.CodeForbidden, ""},
		{unknownRole, backdesk.CodeNotFound, backdesk.CodeNotFound, backdesk.CodeNotFound, ""},
	} {
		t.Run(name(tc.actor), func(t *testing.T) {
			actx := backdesk.NewContextWithActor(ctx, tc.actor)
			if _, err := mayWritePlan(actx, treatsOnly{}, 42); backdesk.ErrorCode(err) != tc.write {
				t.Errorf("mayWritePlan(42) = %v, want %q", err, tc.write)
			}
			if _, err := mayFollowPlan(actx, treatsOnly{}, 42); backdesk.ErrorCode(err) != tc.follow {
				t.Errorf("mayFollowPlan(42) = %v, want %q", err, tc.follow)
			}
			if _, src, err := outcomeSource(actx, treatsOnly{}, 42); backdesk.ErrorCode(err) != tc.record || src != tc.source {
				t.Errorf("outcomeSource(42) = %q, %v; want %q, %q", src, err, tc.source, tc.record)
			}
		})
	}
}
