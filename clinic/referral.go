package clinic

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// ReferralService implements backdesk.ReferralService: who may refer,
// read and answer a referral (access.go), the state machine checked before
// the store applies it, the email that invites the patient to book, and
// the letter to a doctor.
type ReferralService struct {
	Store         backdesk.ReferralStore
	Patients      backdesk.PatientStore
	Practitioners backdesk.PractitionerStore
	Assessments   backdesk.AssessmentStore
	Bookings      backdesk.BookingStore
	Locations     backdesk.LocationStore
	Audit         backdesk.AuditWriter
	Care          CareRelation
	// RedFlags names each red-flag key of the self-assessment in the
	// person's words (the questionnaire's "red_flags." questions).
	RedFlags map[string]string
	// BaseURL is where the site is reached, for the link in the email;
	// ClinicName signs the email and heads the letter.
	BaseURL, ClinicName string
	Now                 func() time.Time
}

var _ backdesk.ReferralService = (*ReferralService)(nil)

// RedFlagLabels reads the red-flag questions of a questionnaire, for
// ReferralService.RedFlags.
func RedFlagLabels(q *backdesk.Questionnaire) map[string]string {
	out := map[string]string{}
	for _, st := range q.Steps {
		for _, qn := range st.Questions {
			if k, ok := strings.CutPrefix(qn.Key, "red_flags."); ok {
				out[k] = qn.Text
			}
		}
	}
	return out
}

// own is the actor's practitioner record, nil when they are none.
func (s *ReferralService) own(ctx context.Context, a backdesk.Actor) (*backdesk.Practitioner, error) {
	if a.PractitionerID == 0 || !may(a, backdesk.PermTreat) {
		return nil, nil
	}
	p, err := s.Practitioners.FindPractitionerByID(ctx, a.PractitionerID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, nil
	}
	return p, err
}

// CreateReferral records a referral from the signed-in practitioner for a
// patient they treat.
func (s *ReferralService) CreateReferral(ctx context.Context, r *backdesk.Referral) error {
	if r.PatientID <= 0 {
		if _, err := require(ctx, backdesk.PermTreat); err != nil {
			return err
		}
		return backdesk.FieldError("patient_id", "patient_id is required")
	}
	a, err := mayRefer(ctx, s.Care, r.PatientID)
	if err != nil {
		return err
	}
	r.ID, r.FromPractitionerID, r.CreatedBy, r.Status, r.StatusReason, r.AcceptedBy, r.BookingID = 0, a.PractitionerID, a.UserID, "", "", 0, 0
	r.History, r.PatientName = nil, ""
	if err := r.Validate(); err != nil {
		return err
	}
	if r.ToPractitionerID != 0 {
		p, err := s.Practitioners.FindPractitionerByID(ctx, r.ToPractitionerID)
		switch {
		case backdesk.ErrorCode(err) == backdesk.CodeNotFound:
			return backdesk.FieldError("to_practitioner_id", "to_practitioner_id is not one of the clinic's practitioners")
		case err != nil:
			return err
		case p.Discipline != r.ToDiscipline:
			return backdesk.FieldError("to_practitioner_id", "%s is a %s, not a %s", p.Name, strings.ToLower(p.Discipline.Label()), strings.ToLower(r.ToDiscipline.Label()))
		case !p.Active:
			return backdesk.FieldError("to_practitioner_id", "%s is not seeing patients at the moment", p.Name)
		case p.ID == a.PractitionerID:
			return backdesk.FieldError("to_practitioner_id", "you cannot refer a patient to yourself")
		}
	}
	if r.AssessmentID != "" {
		as, err := s.Assessments.FindAssessmentByID(ctx, r.AssessmentID)
		if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && as.PatientID != r.PatientID {
			return backdesk.FieldError("assessment_id", "assessment_id is not one of this patient's self-assessments")
		} else if err != nil {
			return err
		}
		for _, f := range as.Result.RedFlags {
			if !slices.Contains(r.RedFlags, f) {
				r.RedFlags = append(r.RedFlags, f)
			}
		}
	}
	for _, f := range r.RedFlags {
		if _, ok := s.RedFlags[f]; !ok {
			return backdesk.FieldError("red_flags", "%q is not one of the self-assessment's red flags", f)
		}
	}
	p, err := s.Patients.FindPatientByID(ctx, r.PatientID)
	if err != nil {
		return err
	}
	if p.ErasedAt != nil {
		return backdesk.Errorf(backdesk.CodeConflict, "This patient's record was erased at their request; nobody can be referred under it.")
	}
	if err := s.Store.InsertReferral(ctx, r, backdesk.NewAuditEntry(a, backdesk.AuditReferralCreate, r.PatientID, "referral", "")); err != nil {
		return err
	}
	r.PatientName = p.Name
	own, err := s.own(ctx, a)
	if err != nil {
		return err
	}
	r.Actions = referralActions(a, own, r)
	return nil
}

// CreateReferralFromAssessment refers the patient of a result that
// recommends both physiotherapy and massage to one of the two, in one
// step, with the result attached and its reasons as the findings.
func (s *ReferralService) CreateReferralFromAssessment(ctx context.Context, assessmentID string, discipline backdesk.Discipline) (*backdesk.Referral, error) {
	a, err := attempt(ctx, backdesk.OpRefer)
	if err != nil {
		return nil, err
	}
	notFound := backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
	if !validID(assessmentID) {
		return nil, notFound
	}
	as, err := s.Assessments.FindAssessmentByID(ctx, assessmentID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && as.PatientID == 0 {
		return nil, notFound // an anonymous result is nobody's record to refer
	} else if err != nil {
		return nil, err
	}
	if ok, err := mayReadPatient(ctx, s.Care, a, as.PatientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, notFound
	}
	res := as.Result
	if res.Disposition != backdesk.DispositionPhysiotherapyAndMassage {
		return nil, backdesk.Errorf(backdesk.CodeInvalid, "This result does not recommend both physiotherapy and massage; refer the patient with the referral form.")
	}
	recommended := false
	for _, b := range res.Book {
		if d, ok := backdesk.BookDiscipline(b); ok && d == discipline {
			recommended = true
		}
	}
	if !recommended {
		return nil, backdesk.FieldError("to_discipline", "the result recommends physiotherapy and massage: refer to physiotherapist or massage_therapist")
	}
	var findings strings.Builder
	fmt.Fprintf(&findings, "Self-assessment of %s: %s\n", as.CreatedAt.Format("2 January 2006"), res.Headline)
	for _, why := range res.Reasons {
		fmt.Fprintf(&findings, "- %s\n", why.Text)
	}
	r := &backdesk.Referral{PatientID: as.PatientID, ToDiscipline: discipline, Urgency: backdesk.UrgencyRoutine, AssessmentID: as.ID,
		Reason:   fmt.Sprintf("The self-assessment recommends both physiotherapy and massage; please see the patient for %s.", discipline.Therapy()),
		Findings: strings.TrimSpace(findings.String())}
	if err := s.CreateReferral(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

var errNoReferral = backdesk.Errorf(backdesk.CodeNotFound, "Referral not found.")

// load reads a referral the actor may see, with the actor's practitioner
// record, and audits the read (as action) when it is staff's.
func (s *ReferralService) load(ctx context.Context, id int64, action backdesk.AuditAction) (backdesk.Actor, *backdesk.Practitioner, *backdesk.Referral, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, nil, nil, err
	}
	r, err := s.Store.FindReferralByID(ctx, id)
	if err != nil {
		return a, nil, nil, err
	}
	own, err := s.own(ctx, a)
	if err != nil {
		return a, nil, nil, err
	}
	if ok, err := mayReadReferral(ctx, s.Care, a, own, r); err != nil {
		return a, nil, nil, err
	} else if !ok {
		return a, nil, nil, errNoReferral
	}
	if action != "" {
		if err := auditRead(ctx, s.Audit, action, r.PatientID, "referral", strconv.FormatInt(r.ID, 10)); err != nil {
			return a, nil, nil, err
		}
	}
	r.Actions = referralActions(a, own, r)
	return a, own, r, nil
}

// FindReferralByID returns a referral the actor may see, with its history
// and what they may do with it.
func (s *ReferralService) FindReferralByID(ctx context.Context, id int64) (*backdesk.Referral, error) {
	_, _, r, err := s.load(ctx, id, backdesk.AuditReferralRead)
	return r, err
}

// FindReferrals lists the referrals the actor may see (referralScope).
func (s *ReferralService) FindReferrals(ctx context.Context, f backdesk.ReferralFilter) ([]*backdesk.Referral, int, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case f.Status != "" && !f.Status.Valid():
		return nil, 0, backdesk.FieldError("status", "status must be one of requested, accepted, booked, completed, declined, withdrawn")
	case f.Discipline != "" && !f.Discipline.Valid():
		return nil, 0, backdesk.FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	case f.Box != "" && f.Box != backdesk.BoxInbox && f.Box != backdesk.BoxSent:
		return nil, 0, backdesk.FieldError("box", "box must be inbox or sent")
	}
	own, err := s.own(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			return nil, 0, backdesk.FieldError("status", "status must be one of requested, accepted, booked, completed, declined, withdrawn")
		}
	}
	f, none, err := referralScope(ctx, s.Care, a, own, f)
	if err != nil {
		return nil, 0, err
	}
	if none {
		return []*backdesk.Referral{}, 0, nil
	}
	list, total, err := s.Store.FindReferrals(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditReferralList, f.PatientID, "referral", ""); err != nil {
		return nil, 0, err
	}
	for _, r := range list {
		r.Actions = referralActions(a, own, r)
	}
	return list, total, nil
}

// AcceptReferral accepts a referral for the receiving side. Inside the
// clinic, the patient is emailed a link that opens booking for the
// referral's discipline.
func (s *ReferralService) AcceptReferral(ctx context.Context, id int64) (*backdesk.Referral, error) {
	return s.move(ctx, id, backdesk.ReferralAccept, "")
}

// DeclineReferral declines it, with the reason (required).
func (s *ReferralService) DeclineReferral(ctx context.Context, id int64, reason string) (*backdesk.Referral, error) {
	return s.move(ctx, id, backdesk.ReferralDecline, reason)
}

// CompleteReferral marks it done: inside the clinic once its appointment
// has started (signing that visit's note completes it by itself).
func (s *ReferralService) CompleteReferral(ctx context.Context, id int64) (*backdesk.Referral, error) {
	return s.move(ctx, id, backdesk.ReferralComplete, "")
}

// WithdrawReferral withdraws it for the referrer, with an optional reason.
func (s *ReferralService) WithdrawReferral(ctx context.Context, id int64, reason string) (*backdesk.Referral, error) {
	return s.move(ctx, id, backdesk.ReferralWithdraw, reason)
}

func (s *ReferralService) move(ctx context.Context, id int64, act backdesk.ReferralAction, reason string) (*backdesk.Referral, error) {
	a, own, r, err := s.load(ctx, id, "")
	if err != nil {
		return nil, err
	}
	if err := mayMoveReferral(a, own, r, act); err != nil {
		return nil, err
	}
	if _, err := backdesk.NextReferralStatus(r.External(), r.Status, act); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case act == backdesk.ReferralDecline && reason == "":
		return nil, backdesk.FieldError("reason", "say why you decline the referral, for the referrer and the patient")
	case len(reason) > 1000:
		return nil, backdesk.FieldError("reason", "reason can be at most 1000 characters")
	}
	t := backdesk.ReferralTransition{Action: act, Reason: reason}
	var msgs []*backdesk.OutboxMessage
	switch {
	case act == backdesk.ReferralAccept && !r.External():
		t.AcceptedBy = own.ID
		if msgs, err = s.bookingInvitation(ctx, r, own); err != nil {
			return nil, err
		}
	case act == backdesk.ReferralComplete && !r.External():
		b, err := s.Bookings.FindBookingByID(ctx, r.BookingID)
		if err != nil {
			return nil, err
		}
		if b.Start.After(s.Now()) {
			return nil, backdesk.Errorf(backdesk.CodeConflict, "The referral's appointment has not happened yet; complete it after the visit.")
		}
	}
	moved, err := s.Store.TransitionReferral(ctx, id, t, msgs, backdesk.NewAuditEntry(a, backdesk.AuditReferralAnswer, r.PatientID, "referral", strconv.FormatInt(id, 10)))
	if err != nil {
		return nil, err
	}
	moved.Actions = referralActions(a, own, moved)
	return moved, nil
}

// BookingLink is the address that opens booking for an accepted referral:
// its discipline's first-visit service, with the practitioner who
// accepted it.
func BookingLink(base string, r *backdesk.Referral) string {
	q := url.Values{"discipline": {string(r.ToDiscipline)}, "referral": {strconv.FormatInt(r.ID, 10)}}
	if p := r.AcceptedBy; p != 0 {
		q.Set("practitioner", strconv.FormatInt(p, 10))
	}
	return strings.TrimRight(base, "/") + "/book?" + q.Encode()
}

// bookingInvitation is the email that tells the patient their referral
// was accepted and how to book, addressed as it is stored (toPatient):
// none for a patient without an email address or who asked not to be
// emailed.
func (s *ReferralService) bookingInvitation(ctx context.Context, r *backdesk.Referral, by *backdesk.Practitioner) ([]*backdesk.OutboxMessage, error) {
	from, err := s.Practitioners.FindPractitionerByID(ctx, r.FromPractitionerID)
	if err != nil {
		return nil, err
	}
	phone := ""
	if ls, err := s.Locations.FindLocations(ctx); err == nil {
		if l := backdesk.MainLocation(ls); l != nil {
			phone = " or call us on " + l.Phone
		}
	}
	accepted := *r
	accepted.AcceptedBy = by.ID
	what := r.ToDiscipline.Therapy()
	body := fmt.Sprintf("%s (%s) has accepted the referral to %s that %s made for you. "+
		"Please choose a time for your first appointment here:\n\n%s\n\n"+
		"Sign in with your account to book%s. When you book, we let %s know.\n\n%s\n",
		by.Name, strings.ToLower(by.Discipline.Label()), what, from.Name, BookingLink(s.BaseURL, &accepted), phone, from.Name, s.ClinicName)
	return []*backdesk.OutboxMessage{toPatient(r.PatientID, "referral_accepted", "Your referral to "+what+": please book a time", body)}, nil
}

// ReferralLetter is the letter of a referral outside the clinic, with
// everything it says: the letterhead, the practitioner and their
// registration, the patient, the reason, the findings and the red flags.
func (s *ReferralService) ReferralLetter(ctx context.Context, id int64) (*backdesk.ReferralLetter, error) {
	_, _, r, err := s.load(ctx, id, backdesk.AuditReferralLetter)
	if err != nil {
		return nil, err
	}
	if !r.External() {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "There is no letter: this referral is to a practitioner of the clinic.")
	}
	l := &backdesk.ReferralLetter{Referral: r, ClinicName: s.ClinicName, Date: r.CreatedAt}
	if l.Practitioner, err = s.Practitioners.FindPractitionerByID(ctx, r.FromPractitionerID); err != nil {
		return nil, err
	}
	if l.Patient, err = s.Patients.FindPatientByID(ctx, r.PatientID); err != nil {
		return nil, err
	}
	ls, err := s.Locations.FindLocations(ctx)
	if err != nil {
		return nil, err
	}
	l.Clinic = backdesk.MainLocation(ls)
	if r.AssessmentID != "" {
		if l.Assessment, err = s.Assessments.FindAssessmentByID(ctx, r.AssessmentID); err != nil {
			return nil, err
		}
	}
	for _, f := range r.RedFlags {
		label := s.RedFlags[f]
		if label == "" {
			label = f
		}
		l.RedFlags = append(l.RedFlags, label)
	}
	return l, nil
}
