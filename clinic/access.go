package clinic

import (
	"context"
	"crypto/subtle"
	"errors"
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
//
// An integration's API token has one of the roles read_only, reception or
// admin (backdesk.TokenRoles): a reception or admin token may do what that
// role may; a read-only token reads what the front desk reads
// (PermReadClinic) and changes nothing, not even what anyone may (changes).
var roleGrants = map[backdesk.Role][]backdesk.Permission{
	backdesk.RolePatient:      {backdesk.PermBookForSelf},
	backdesk.RolePractitioner: {backdesk.PermTreat, backdesk.PermBrowseExercises, backdesk.PermWriteExercises},
	backdesk.RoleReception:    {backdesk.PermFrontDesk, backdesk.PermBrowseExercises},
	backdesk.RoleAdmin: {backdesk.PermFrontDesk, backdesk.PermEditCatalogue, backdesk.PermReadAudit,
		backdesk.PermErasePatients, backdesk.PermManageFeeds, backdesk.PermManageAccounts, backdesk.PermReadNotes,
		backdesk.PermBrowseExercises, backdesk.PermWriteExercises, backdesk.PermManageIntegrations},
	backdesk.RoleSystem: {backdesk.PermFrontDesk, backdesk.PermEditCatalogue, backdesk.PermReadAudit,
		backdesk.PermErasePatients, backdesk.PermManageFeeds, backdesk.PermManageAccounts, backdesk.PermReadNotes,
		backdesk.PermBrowseExercises, backdesk.PermWriteExercises, backdesk.PermRunJobs, backdesk.PermManageIntegrations, backdesk.PermReadClinic},
	backdesk.RoleReadOnly: {backdesk.PermReadClinic},
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
	errReadOnly  = backdesk.Errorf(backdesk.CodeForbidden, "This API token is read-only: it changes nothing.")
)

// changes checks that the actor may change anything at all: everyone may
// but an integration's read-only token, which reads and never writes, not
// even what anyone may write (a self-assessment, a message, an account).
func changes(a backdesk.Actor) error {
	if a.Role == backdesk.RoleReadOnly {
		return errReadOnly
	}
	return nil
}

// readsClinic reports whether a reads the clinic's records as the front
// desk does: the desk itself, and a read-only token.
func readsClinic(a backdesk.Actor) bool {
	return may(a, backdesk.PermFrontDesk) || may(a, backdesk.PermReadClinic)
}

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
	backdesk.OpChangePatient: {}, // the record decides: its patient, the desk
	backdesk.OpAnswerIntake:  {}, // the booking decides: its patient, the desk
	backdesk.OpManageTimeOff: {may: []backdesk.Permission{backdesk.PermFrontDesk, backdesk.PermTreat}},
	backdesk.OpAnswerMessage: {may: []backdesk.Permission{backdesk.PermFrontDesk}},
	backdesk.OpRecordPatient: {may: []backdesk.Permission{backdesk.PermFrontDesk}},
	backdesk.OpMergePatients: {may: []backdesk.Permission{backdesk.PermFrontDesk}},
	backdesk.OpErasePatient:  {may: []backdesk.Permission{backdesk.PermErasePatients}},
	backdesk.OpEraseAccount:  {may: []backdesk.Permission{backdesk.PermBookForSelf}, refusal: "Staff accounts are closed by an admin."},
	backdesk.OpRefer:         {may: []backdesk.Permission{backdesk.PermTreat}, refusal: "Referrals are made by practitioners."},
	// Reception records a doctor's answer to an external referral.
	backdesk.OpMoveReferral:       {may: []backdesk.Permission{backdesk.PermTreat, backdesk.PermFrontDesk}, refusal: "Referrals are answered by practitioners, and a doctor's answer by reception."},
	backdesk.OpWriteNote:          {may: []backdesk.Permission{backdesk.PermTreat}, refusal: "Clinical notes are written by practitioners."},
	backdesk.OpWriteExercises:     {may: []backdesk.Permission{backdesk.PermWriteExercises}},
	backdesk.OpWritePlan:          {may: []backdesk.Permission{backdesk.PermTreat}, refusal: "Treatment plans are written by the practitioners who treat the patient."},
	backdesk.OpFollowPlan:         {may: []backdesk.Permission{backdesk.PermBookForSelf}, refusal: "Only the patient marks their exercises done and chooses their emails."},
	backdesk.OpRecordOutcome:      {may: []backdesk.Permission{backdesk.PermBookForSelf, backdesk.PermTreat}, refusal: "Scores are recorded by the patient and by the practitioners who treat them."},
	backdesk.OpManageIntegrations: {may: []backdesk.Permission{backdesk.PermManageIntegrations}, refusal: "API tokens and webhooks are managed by an admin."},
}

// attempt returns the actor of ctx if they could be allowed op:
// CodeUnauthorized for nobody, CodeForbidden (with the operation's own
// words) for someone who may never.
func attempt(ctx context.Context, op backdesk.Operation) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	if err := changes(a); err != nil { // every operation changes something
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

// StartPage is where signing in leads when nothing asked for another
// page: the diary for the front desk, the day of the practitioner, the
// home page for patients.
func (Access) StartPage(ctx context.Context) (string, error) {
	a, err := signedIn(ctx)
	switch {
	case err != nil:
		return "", err
	case may(a, backdesk.PermFrontDesk):
		return "/appointments", nil
	case may(a, backdesk.PermTreat):
		return "/today", nil
	}
	return "/", nil
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
// that lets a practitioner see that patient's records. Care is the
// clinic's.
type CareRelation interface {
	PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error)
}

// Care is the clinic's care relation. A practitioner treats a patient
// when they have, or had, a live appointment with them, or when a referral
// of the patient, not declined or withdrawn, is sent to them: named to
// them, accepted by them, or sent to their discipline while nobody in it
// has accepted it.
type Care struct {
	Appointments  CareRelation // the appointments part (sqlstore's PractitionerTreats)
	Referrals     backdesk.ReferralStore
	Practitioners backdesk.PractitionerStore
	// Diary lists the appointments part (for TreatedPatients); nil: lists
	// hold the referrals part only.
	Diary interface {
		PractitionerPatients(ctx context.Context, practitionerID int64) ([]int64, error)
	}
}

var _ CareRelation = Care{}

// PractitionerTreats reports whether practitionerID treats patientID.
func (c Care) PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error) {
	if practitionerID == 0 || patientID == 0 {
		return false, nil
	}
	if ok, err := c.Appointments.PractitionerTreats(ctx, practitionerID, patientID); err != nil || ok {
		return ok, err
	}
	p, err := c.Practitioners.FindPractitionerByID(ctx, practitionerID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	refs, _, err := c.Referrals.FindReferrals(ctx, backdesk.ReferralFilter{PatientID: patientID,
		Party: &backdesk.ReferralParty{PractitionerID: p.ID, Discipline: p.Discipline}, Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return false, err
	}
	for _, r := range refs {
		if referredTo(r, p) {
			return true, nil
		}
	}
	return false, nil
}

// TreatedPatients lists the patients practitionerID treats (the relation
// of PractitionerTreats, as a list), in ascending order. The referrals part
// reads at most the practitioner's latest 1,000 referrals.
func (c Care) TreatedPatients(ctx context.Context, practitionerID int64) ([]int64, error) {
	seen := map[int64]bool{}
	if c.Diary != nil {
		ids, err := c.Diary.PractitionerPatients(ctx, practitionerID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			seen[id] = true
		}
	}
	p, err := c.Practitioners.FindPractitionerByID(ctx, practitionerID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return []int64{}, nil
	} else if err != nil {
		return nil, err
	}
	refs, _, err := c.Referrals.FindReferrals(ctx, backdesk.ReferralFilter{NewestFirst: true,
		Party: &backdesk.ReferralParty{PractitionerID: p.ID, Discipline: p.Discipline}, Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		if referredTo(r, p) {
			seen[r.PatientID] = true
		}
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// referredTo reports whether r makes p one of its patient's practitioners.
func referredTo(r *backdesk.Referral, p *backdesk.Practitioner) bool {
	switch {
	case p == nil || r.External() || r.Status == backdesk.ReferralDeclined || r.Status == backdesk.ReferralWithdrawn:
		return false
	case r.ToPractitionerID == p.ID || r.AcceptedBy == p.ID:
		return true
	}
	return r.ToPractitionerID == 0 && r.AcceptedBy == 0 && r.ToDiscipline == p.Discipline
}

// mayRefer checks that the actor may refer patientID: a practitioner who
// treats them. It returns the actor; CodeNotFound for a patient they do
// not treat (as if there were none).
func mayRefer(ctx context.Context, care CareRelation, patientID int64) (backdesk.Actor, error) {
	a, err := attempt(ctx, backdesk.OpRefer)
	if err != nil {
		return a, err
	}
	if a.PractitionerID == 0 {
		return a, backdesk.Errorf(backdesk.CodeForbidden, "Your account is not linked to a practitioner.")
	}
	ok, err := mayReadPatient(ctx, care, a, patientID)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found: you can refer the patients you treat.")
	}
	return a, nil
}

// mayReadReferral reports whether a (whose practitioner record is own,
// nil for none) may see r: the front desk, its patient, the practitioner
// who made it, the receiving side, which is a practitioner of its
// discipline (its inbox) or the one it names, and any practitioner who
// treats the patient (it is part of the patient's records).
func mayReadReferral(ctx context.Context, care CareRelation, a backdesk.Actor, own *backdesk.Practitioner, r *backdesk.Referral) (bool, error) {
	switch {
	case readsClinic(a):
		return true, nil
	case may(a, backdesk.PermBookForSelf):
		return a.PatientID != 0 && a.PatientID == r.PatientID, nil
	case may(a, backdesk.PermTreat) && own != nil:
		if r.FromPractitionerID == own.ID || receives(own, r) {
			return true, nil
		}
		return mayReadPatient(ctx, care, a, r.PatientID)
	}
	return false, nil
}

// receives reports whether p is on the receiving side of r: the
// practitioner it names, or, when it names nobody, any practitioner of its
// discipline (never the one who made it).
func receives(p *backdesk.Practitioner, r *backdesk.Referral) bool {
	switch {
	case p == nil || r.External() || r.FromPractitionerID == p.ID:
		return false
	case r.ToPractitionerID != 0:
		return r.ToPractitionerID == p.ID
	}
	return r.ToDiscipline == p.Discipline
}

// mayMoveReferral says whether a may take act on r (the state machine
// decides separately whether act is possible now): the referrer withdraws;
// the receiving side accepts, declines and completes; for a referral
// outside the clinic, whose receiving side is a doctor elsewhere, the
// referrer or the front desk records the doctor's answer. The error says
// who may, for someone who may see the referral.
func mayMoveReferral(a backdesk.Actor, own *backdesk.Practitioner, r *backdesk.Referral, act backdesk.ReferralAction) error {
	referrer := may(a, backdesk.PermTreat) && own != nil && r.FromPractitionerID == own.ID
	switch act {
	case backdesk.ReferralWithdraw:
		if referrer {
			return nil
		}
		return backdesk.Errorf(backdesk.CodeForbidden, "Only the practitioner who made a referral withdraws it.")
	case backdesk.ReferralAccept, backdesk.ReferralDecline, backdesk.ReferralComplete:
		if r.External() {
			if referrer || may(a, backdesk.PermFrontDesk) {
				return nil
			}
			return backdesk.Errorf(backdesk.CodeForbidden, "The referring practitioner or reception records the doctor's answer.")
		}
		if may(a, backdesk.PermTreat) && receives(own, r) {
			return nil
		}
		return backdesk.Errorf(backdesk.CodeForbidden, "Only a practitioner the referral is sent to may %s it.", act)
	}
	// book and unbook follow the referral's appointment: booking decides.
	return backdesk.Errorf(backdesk.CodeForbidden, "A referral is %s through its appointment.", act.Past())
}

// referralActions are what a may do with r now: allowed to them and
// possible from its status.
func referralActions(a backdesk.Actor, own *backdesk.Practitioner, r *backdesk.Referral) []backdesk.ReferralAction {
	out := []backdesk.ReferralAction{}
	for _, act := range []backdesk.ReferralAction{backdesk.ReferralAccept, backdesk.ReferralDecline, backdesk.ReferralComplete, backdesk.ReferralWithdraw} {
		if _, err := backdesk.NextReferralStatus(r.External(), r.Status, act); err == nil && mayMoveReferral(a, own, r, act) == nil {
			out = append(out, act)
		}
	}
	if r.Status == backdesk.ReferralAccepted && !r.External() && (may(a, backdesk.PermFrontDesk) || may(a, backdesk.PermBookForSelf) && a.PatientID == r.PatientID) {
		out = append(out, backdesk.ReferralBook)
	}
	return out
}

// referralScope narrows a list of referrals to what the actor may see:
// their own for a patient; for a practitioner (own) what came to their
// discipline or to them (f.Box inbox), what they sent (sent), or both, and
// every referral of a patient they treat (f.PatientID); every one for the
// front desk. none reports that nothing can match: a patient asking for
// another patient's.
func referralScope(ctx context.Context, care CareRelation, a backdesk.Actor, own *backdesk.Practitioner, f backdesk.ReferralFilter) (_ backdesk.ReferralFilter, none bool, err error) {
	f.Party = nil
	if f.PatientID != 0 && f.Box == "" && may(a, backdesk.PermTreat) && own != nil {
		if ok, err := mayReadPatient(ctx, care, a, f.PatientID); err != nil || ok {
			return f, false, err
		}
	}
	switch {
	case readsClinic(a):
		if f.Box == backdesk.BoxSent {
			return f, false, backdesk.FieldError("box", "reception and admin see every discipline's inbox; \"sent\" is a practitioner's own list")
		}
		return f, false, nil
	case may(a, backdesk.PermBookForSelf):
		if f.PatientID != 0 && f.PatientID != a.PatientID {
			return f, true, nil
		}
		f.PatientID, f.Box = a.PatientID, ""
		return f, false, nil
	case may(a, backdesk.PermTreat) && own != nil:
		switch f.Box {
		case backdesk.BoxInbox:
			if f.Discipline != "" && f.Discipline != own.Discipline {
				return f, false, backdesk.Errorf(backdesk.CodeForbidden, "You see the inbox of your own discipline.")
			}
			f.Discipline = own.Discipline
		case backdesk.BoxSent:
			f.FromPractitionerID = own.ID
		default:
			f.Party = &backdesk.ReferralParty{PractitionerID: own.ID, Discipline: own.Discipline}
		}
		return f, false, nil
	case may(a, backdesk.PermTreat):
		return f, false, backdesk.Errorf(backdesk.CodeForbidden, "Your account is not linked to a practitioner.")
	}
	return f, false, errForbidden
}

// mayReadNote says what a may read of a note of patientID: its text
// (practitioners who treat the patient, and admins), only that it exists
// (reception), or nothing at all (anyone else, patients included: they
// read their notes in their export), which is CodeNotFound.
func mayReadNote(ctx context.Context, care CareRelation, a backdesk.Actor, patientID int64) (text bool, err error) {
	switch {
	case may(a, backdesk.PermReadNotes):
		return true, nil
	case may(a, backdesk.PermTreat) && a.PractitionerID != 0:
		ok, err := mayReadPatient(ctx, care, a, patientID)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	case readsClinic(a):
		return false, nil
	}
	return false, errNoNote
}

var errNoNote = backdesk.Errorf(backdesk.CodeNotFound, "Note not found.")

// mayWriteNote checks that a may write the note of appointment b: the
// practitioner the appointment is with.
func mayWriteNote(a backdesk.Actor, b *backdesk.Booking) error {
	if may(a, backdesk.PermTreat) && a.PractitionerID != 0 && a.PractitionerID == b.PractitionerID {
		return nil
	}
	return backdesk.Errorf(backdesk.CodeForbidden, "The note of an appointment is written by the practitioner it is with.")
}

// mayChangeNote checks that a may edit, sign or amend n: its author only.
func mayChangeNote(a backdesk.Actor, n *backdesk.ClinicalNote, act backdesk.NoteAction) error {
	if may(a, backdesk.PermTreat) && a.PractitionerID != 0 && a.PractitionerID == n.PractitionerID {
		return nil
	}
	switch act {
	case backdesk.NoteSign:
		return backdesk.Errorf(backdesk.CodeForbidden, "Only the note's author signs it.")
	case backdesk.NoteAmend:
		return backdesk.Errorf(backdesk.CodeForbidden, "Only the note's author amends it; write your own note of your own appointment.")
	}
	return backdesk.Errorf(backdesk.CodeForbidden, "Only the note's author edits it.")
}

// noteActions are what a may do with n now; latest says whether n is the
// latest version of its note.
func noteActions(a backdesk.Actor, n *backdesk.ClinicalNote, latest bool) []backdesk.NoteAction {
	if mayChangeNote(a, n, backdesk.NoteEdit) != nil {
		return []backdesk.NoteAction{}
	}
	if n.Status == backdesk.NoteDraft {
		return []backdesk.NoteAction{backdesk.NoteEdit, backdesk.NoteSign}
	}
	if latest {
		return []backdesk.NoteAction{backdesk.NoteAmend}
	}
	return []backdesk.NoteAction{}
}

// dayScope says whose day the actor may see: their own for a practitioner
// (practitionerID 0 or their own), anyone's for the front desk (who must
// name them).
func dayScope(ctx context.Context, practitionerID int64) (backdesk.Actor, int64, error) {
	a, err := requireAny(ctx, backdesk.PermFrontDesk, backdesk.PermTreat)
	switch {
	case err != nil:
		return a, 0, err
	case may(a, backdesk.PermFrontDesk):
		if practitionerID == 0 {
			return a, 0, backdesk.FieldError("practitioner", "choose whose day to see")
		}
		return a, practitionerID, nil
	case a.PractitionerID == 0:
		return a, 0, backdesk.Errorf(backdesk.CodeForbidden, "Your account is not linked to a practitioner.")
	case practitionerID != 0 && practitionerID != a.PractitionerID:
		return a, 0, backdesk.Errorf(backdesk.CodeForbidden, "You see your own day.")
	}
	return a, a.PractitionerID, nil
}

// mayReadPatient reports whether a may see the records of patientID: the
// patient themselves, the front desk (reception, admin, the system) and a
// read-only token, and a practitioner who treats them. care may be nil:
// then practitioners see no one's records. Seeing is not changing: a write
// that relies on it also checks changes.
func mayReadPatient(ctx context.Context, care CareRelation, a backdesk.Actor, patientID int64) (bool, error) {
	switch {
	case patientID == 0:
		return false, nil
	case readsClinic(a):
		return true, nil
	case may(a, backdesk.PermBookForSelf):
		return a.PatientID == patientID, nil
	case may(a, backdesk.PermTreat) && a.PractitionerID != 0 && care != nil:
		return care.PractitionerTreats(ctx, a.PractitionerID, patientID)
	}
	return false, nil
}

// patientScope says which patients' records a list may hold for a: all
// (nil, true) for the front desk and a read-only token; only the ids given
// otherwise: a patient's own record, or the patients a practitioner treats
// (none when care cannot list them). named, when not 0, narrows the
// answer to that one patient (an empty list when a may not see them).
func patientScope(ctx context.Context, care CareRelation, a backdesk.Actor, named int64) (ids []int64, all bool, err error) {
	switch {
	case readsClinic(a):
		if named != 0 {
			return []int64{named}, false, nil
		}
		return nil, true, nil
	case may(a, backdesk.PermBookForSelf):
		if a.PatientID == 0 || named != 0 && named != a.PatientID {
			return []int64{}, false, nil
		}
		return []int64{a.PatientID}, false, nil
	case may(a, backdesk.PermTreat) && a.PractitionerID != 0:
		if named != 0 {
			ok, err := mayReadPatient(ctx, care, a, named)
			if err != nil || !ok {
				return []int64{}, false, err
			}
			return []int64{named}, false, nil
		}
		lister, _ := care.(interface {
			TreatedPatients(ctx context.Context, practitionerID int64) ([]int64, error)
		})
		if lister == nil {
			return []int64{}, false, nil
		}
		ids, err := lister.TreatedPatients(ctx, a.PractitionerID)
		return ids, false, err
	}
	return []int64{}, false, nil
}

// mayReadBooking reports whether a may see b: those who may change it
// (mayChangeBooking), and a read-only token.
func mayReadBooking(a backdesk.Actor, b *backdesk.Booking) bool {
	return may(a, backdesk.PermReadClinic) || mayChangeBooking(a, b)
}

// mayChangeBooking reports whether a may cancel or move b: its patient, the
// practitioner it is with, and the front desk.
func mayChangeBooking(a backdesk.Actor, b *backdesk.Booking) bool {
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

// mayMarkAttendance checks that a may record whether b's patient came:
// the front desk, and the practitioner the appointment is with;
// CodeNotFound for whoever may not see the appointment.
func mayMarkAttendance(a backdesk.Actor, b *backdesk.Booking) error {
	switch {
	case !mayReadBooking(a, b):
		return backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")
	case may(a, backdesk.PermFrontDesk), may(a, backdesk.PermTreat) && a.PractitionerID == b.PractitionerID:
		return nil
	}
	return backdesk.Errorf(backdesk.CodeForbidden, "Reception or the practitioner records whether the patient came.")
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

// reviewFor is bookingFor for looking at a time before booking it, which
// anyone may do: 0 for the signed-out and for the front desk before they
// have named the patient. A patient whose address is not confirmed yet
// sees their review (booking it waits for the confirmation).
func reviewFor(ctx context.Context, patientID int64) (backdesk.Actor, int64, error) {
	a := backdesk.ActorFromContext(ctx)
	switch {
	case a.Anonymous():
		return a, 0, nil
	case may(a, backdesk.PermFrontDesk):
		return a, patientID, nil
	}
	a, id, err := bookingFor(ctx, patientID)
	if errors.Is(err, errUnverified) {
		return a, a.PatientID, nil
	}
	return a, id, err
}

// mayBookDespiteDoctorFirst reports whether a may book from a
// self-assessment that says to see a doctor first (or that massage is not
// safe): the front desk may, after talking to the patient, and is shown
// the red flags; a patient may not.
func mayBookDespiteDoctorFirst(a backdesk.Actor) bool { return may(a, backdesk.PermFrontDesk) }

// mayChangePatient checks that the actor may change patientID's details:
// the patient their own, the front desk anyone's; CodeNotFound for anyone
// else, who may not know the record exists.
func mayChangePatient(ctx context.Context, patientID int64) (backdesk.Actor, error) {
	a, err := attempt(ctx, backdesk.OpChangePatient)
	switch {
	case err != nil:
		return a, err
	case may(a, backdesk.PermFrontDesk), may(a, backdesk.PermBookForSelf) && a.PatientID == patientID && patientID != 0:
		return a, nil
	}
	return a, errNoPatient
}

// mayAnswerIntake reports whether a may answer the health questions of b:
// its patient, or the front desk with them.
func mayAnswerIntake(a backdesk.Actor, b *backdesk.Booking) bool {
	return may(a, backdesk.PermFrontDesk) || may(a, backdesk.PermBookForSelf) && a.PatientID != 0 && a.PatientID == b.PatientID
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

// patientListScope narrows a search of patients to those the actor may
// list: everyone for the front desk, the patients a practitioner treats
// (f.TreatedBy); CodeForbidden for anyone else.
func patientListScope(ctx context.Context, f *backdesk.PatientFilter) (backdesk.Actor, error) {
	a, err := requireAny(ctx, backdesk.PermFrontDesk, backdesk.PermReadClinic, backdesk.PermTreat)
	switch {
	case err != nil:
		return a, err
	case may(a, backdesk.PermFrontDesk), may(a, backdesk.PermReadClinic):
		return a, nil
	case a.PractitionerID == 0:
		return a, errNotLinked
	}
	f.TreatedBy = a.PractitionerID
	return a, nil
}

var errNotLinked = backdesk.Errorf(backdesk.CodeForbidden, "Your account is not linked to a practitioner.")

// waitingFor reports whether the waiting request e is one that
// practitioner p sees on their waitlist: one that names them, or asks for
// anyone of their discipline.
func waitingFor(p *backdesk.Practitioner, e *backdesk.WaitlistEntry) bool {
	if e.PractitionerID != 0 {
		return e.PractitionerID == p.ID
	}
	return e.Discipline == p.Discipline
}

// moveScope says whose appointments needing a move the actor may list:
// anyone's for the front desk (practitionerID 0 for all), their own for a
// practitioner.
func moveScope(ctx context.Context, practitionerID int64) (backdesk.Actor, int64, error) {
	a, err := requireAny(ctx, backdesk.PermFrontDesk, backdesk.PermTreat)
	switch {
	case err != nil:
		return a, 0, err
	case may(a, backdesk.PermFrontDesk):
		return a, practitionerID, nil
	case a.PractitionerID == 0:
		return a, 0, errNotLinked
	}
	return a, a.PractitionerID, nil
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

// ownRecords reports whether a is the patient patientID themselves.
func ownRecords(a backdesk.Actor, patientID int64) bool {
	return may(a, backdesk.PermBookForSelf) && a.PatientID != 0 && a.PatientID == patientID
}

// treats reports whether a is a practitioner who treats patientID.
func treats(ctx context.Context, care CareRelation, a backdesk.Actor, patientID int64) (bool, error) {
	if !may(a, backdesk.PermTreat) || a.PractitionerID == 0 || care == nil || patientID == 0 {
		return false, nil
	}
	return care.PractitionerTreats(ctx, a.PractitionerID, patientID)
}

// refuseOnRecords is the refusal of something done to patientID's
// records: CodeForbidden (saying msg) to whoever may see them, and
// CodeNotFound to everyone else, so that the records' existence is not
// revealed.
func refuseOnRecords(ctx context.Context, care CareRelation, a backdesk.Actor, patientID int64, msg string) error {
	ok, err := mayReadPatient(ctx, care, a, patientID)
	switch {
	case err != nil:
		return err
	case ok:
		return backdesk.Errorf(backdesk.CodeForbidden, "%s", msg)
	}
	return errNoPatient
}

// mayWritePlan checks that the actor may write patientID's treatment plan:
// a practitioner who treats them.
func mayWritePlan(ctx context.Context, care CareRelation, patientID int64) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	if ok, err := treats(ctx, care, a, patientID); err != nil || ok {
		return a, err
	}
	return a, refuseOnRecords(ctx, care, a, patientID, "Treatment plans are written by the practitioners who treat the patient.")
}

// mayFollowPlan checks that the actor may log the exercises of
// patientID's plan and choose its emails: the patient themselves.
func mayFollowPlan(ctx context.Context, care CareRelation, patientID int64) (backdesk.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	if ownRecords(a, patientID) {
		return a, nil
	}
	return a, refuseOnRecords(ctx, care, a, patientID, "Only the patient marks their exercises done and chooses their emails.")
}

// outcomeSource checks that the actor may record outcome scores for
// patientID and says where they come from: the patient themselves
// (follow-up) or a practitioner who treats them (in clinic).
func outcomeSource(ctx context.Context, care CareRelation, patientID int64) (backdesk.Actor, backdesk.OutcomeSource, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, "", err
	}
	if ownRecords(a, patientID) {
		return a, backdesk.SourceFollowUp, nil
	}
	if ok, err := treats(ctx, care, a, patientID); err != nil || ok {
		return a, backdesk.SourceClinic, err
	}
	return a, "", refuseOnRecords(ctx, care, a, patientID, "Scores are recorded by the patient and by the practitioners who treat them.")
}
