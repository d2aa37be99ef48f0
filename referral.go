package backdesk

import (
	"context"
	"slices"
	"strings"
	"time"
)

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral states. A referral starts requested; accepted, booked and
// completed follow for one inside the clinic; declined, completed and
// withdrawn are final.
const (
	ReferralRequested ReferralStatus = "requested"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralDeclined  ReferralStatus = "declined"
	ReferralBooked    ReferralStatus = "booked"
	ReferralCompleted ReferralStatus = "completed"
	ReferralWithdrawn ReferralStatus = "withdrawn"
)

// ReferralStatuses lists every status, in the order of the referral's life.
var ReferralStatuses = []ReferralStatus{ReferralRequested, ReferralAccepted, ReferralBooked, ReferralCompleted, ReferralDeclined, ReferralWithdrawn}

// Valid reports whether s is one of ReferralStatuses.
func (s ReferralStatus) Valid() bool { return slices.Contains(ReferralStatuses, s) }

// Open reports whether the referral is still under way (not declined,
// completed or withdrawn).
func (s ReferralStatus) Open() bool {
	return s == ReferralRequested || s == ReferralAccepted || s == ReferralBooked
}

// Label is the status in plain words.
func (s ReferralStatus) Label() string {
	switch s {
	case ReferralRequested:
		return "Waiting for an answer"
	case ReferralAccepted:
		return "Accepted, not booked yet"
	case ReferralDeclined:
		return "Declined"
	case ReferralBooked:
		return "Booked"
	case ReferralCompleted:
		return "Completed"
	case ReferralWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// ReferralAction is something that moves a referral on.
type ReferralAction string

// Referral actions. Accept, decline, complete and withdraw are a person's
// answer; book and unbook follow the referral's appointment (booked
// through the ordinary booking path, or cancelled).
const (
	ReferralAccept   ReferralAction = "accept"
	ReferralDecline  ReferralAction = "decline"
	ReferralBook     ReferralAction = "book"
	ReferralUnbook   ReferralAction = "unbook"
	ReferralComplete ReferralAction = "complete"
	ReferralWithdraw ReferralAction = "withdraw"
	// ReferralCreate names a referral's first event in its history; it is
	// not a transition, and NextReferralStatus refuses it from anywhere.
	ReferralCreate ReferralAction = "create"
)

// ReferralActions lists every transition's action.
var ReferralActions = []ReferralAction{ReferralAccept, ReferralDecline, ReferralBook, ReferralUnbook, ReferralComplete, ReferralWithdraw}

// referralMoves is the referral state machine: from a status, what each
// action leads to. Anything not here is refused. Inside the clinic:
// requested → accepted → booked → completed, or declined by the receiving
// side, or withdrawn by the referrer before it is booked; a booked
// referral whose appointment is cancelled is accepted again, to be booked
// anew.
var referralMoves = map[ReferralStatus]map[ReferralAction]ReferralStatus{
	ReferralRequested: {ReferralAccept: ReferralAccepted, ReferralDecline: ReferralDeclined, ReferralWithdraw: ReferralWithdrawn},
	ReferralAccepted:  {ReferralBook: ReferralBooked, ReferralWithdraw: ReferralWithdrawn},
	ReferralBooked:    {ReferralComplete: ReferralCompleted, ReferralUnbook: ReferralAccepted},
}

// externalMoves is the machine for a referral to a doctor outside the
// clinic: the appointment is made at the doctor's, not here, so there is
// no booking step and an accepted referral is completed directly.
var externalMoves = map[ReferralStatus]map[ReferralAction]ReferralStatus{
	ReferralRequested: {ReferralAccept: ReferralAccepted, ReferralDecline: ReferralDeclined, ReferralWithdraw: ReferralWithdrawn},
	ReferralAccepted:  {ReferralComplete: ReferralCompleted, ReferralWithdraw: ReferralWithdrawn},
}

// NextReferralStatus is the status a referral in from moves to on act:
// external says whether it is a referral outside the clinic. Every other
// (from, action) pair is CodeConflict, with a message that says why.
func NextReferralStatus(external bool, from ReferralStatus, act ReferralAction) (ReferralStatus, error) {
	moves := referralMoves
	if external {
		moves = externalMoves
	}
	if to, ok := moves[from][act]; ok {
		return to, nil
	}
	switch {
	case !from.Open():
		return from, Errorf(CodeConflict, "This referral is %s: it cannot change any more.", strings.ToLower(from.Label()))
	case act == ReferralBook && external:
		return from, Errorf(CodeConflict, "A referral outside the clinic is not booked here.")
	case act == ReferralWithdraw && from == ReferralBooked:
		return from, Errorf(CodeConflict, "This referral is booked: cancel its appointment before withdrawing it.")
	}
	return from, Errorf(CodeConflict, "A referral that is %s cannot be %s.", strings.ToLower(from.Label()), act.Past())
}

// Past is the action in the past tense, for messages.
func (a ReferralAction) Past() string {
	switch a {
	case ReferralAccept:
		return "accepted"
	case ReferralDecline:
		return "declined"
	case ReferralBook:
		return "booked"
	case ReferralUnbook:
		return "unbooked"
	case ReferralComplete:
		return "completed"
	case ReferralWithdraw:
		return "withdrawn"
	case ReferralCreate:
		return "created"
	}
	return string(a)
}

// EventType is the type of the webhook event an action raises
// (spec/interfaces.md), "referral.accepted" and so on. Unbook raises none
// of its own: the cancelled appointment's event tells it.
func (a ReferralAction) EventType() EventType {
	if a == ReferralUnbook {
		return ""
	}
	return EventType("referral." + a.Past())
}

// ReferralUrgency is how soon the receiving side should see the patient.
type ReferralUrgency string

const (
	UrgencyRoutine ReferralUrgency = "routine"
	UrgencySoon    ReferralUrgency = "soon"
	UrgencyUrgent  ReferralUrgency = "urgent"
)

// ReferralUrgencies lists every urgency, least urgent first.
var ReferralUrgencies = []ReferralUrgency{UrgencyRoutine, UrgencySoon, UrgencyUrgent}

// Valid reports whether u is one of ReferralUrgencies.
func (u ReferralUrgency) Valid() bool { return slices.Contains(ReferralUrgencies, u) }

// Label is the urgency in plain words.
func (u ReferralUrgency) Label() string {
	switch u {
	case UrgencyRoutine:
		return "Routine"
	case UrgencySoon:
		return "Soon (within a week)"
	case UrgencyUrgent:
		return "Urgent"
	}
	return string(u)
}

// ExternalRecipient is whom a referral outside the clinic goes to.
type ExternalRecipient string

const (
	ExternalGP           ExternalRecipient = "gp"
	ExternalSportsDoctor ExternalRecipient = "sports_doctor"
	ExternalOther        ExternalRecipient = "other"
)

// ExternalRecipients lists every kind of recipient outside the clinic.
var ExternalRecipients = []ExternalRecipient{ExternalGP, ExternalSportsDoctor, ExternalOther}

// Valid reports whether e is one of ExternalRecipients.
func (e ExternalRecipient) Valid() bool { return slices.Contains(ExternalRecipients, e) }

// Label is the recipient in plain words.
func (e ExternalRecipient) Label() string {
	switch e {
	case ExternalGP:
		return "GP (family doctor)"
	case ExternalSportsDoctor:
		return "Sports medicine doctor"
	case ExternalOther:
		return "Another clinician"
	}
	return string(e)
}

// Referral is a practitioner sending one of their patients on: inside the
// clinic to a discipline (optionally a named practitioner), or outside to
// a doctor, with a letter. Its fields carry what a FHIR ServiceRequest
// needs (subject, requester, performer, reason, priority, status,
// supporting information) and its History what webhooks announce.
type Referral struct {
	ID        int64 `json:"id,string"`
	PatientID int64 `json:"patient_id,string"`
	// PatientName is read with the referral, for those who may see it.
	PatientName        string `json:"patient_name,omitempty"`
	FromPractitionerID int64  `json:"from_practitioner_id,string"`
	// Inside the clinic: the discipline, and optionally one practitioner
	// of it.
	ToDiscipline     Discipline `json:"to_discipline,omitempty"`
	ToPractitionerID int64      `json:"to_practitioner_id,string,omitempty"`
	// Outside the clinic: the kind of recipient, their name and address.
	ToExternal       ExternalRecipient `json:"to_external,omitempty"`
	RecipientName    string            `json:"recipient_name,omitempty"`
	RecipientAddress string            `json:"recipient_address,omitempty"`
	Reason           string            `json:"reason"`
	Urgency          ReferralUrgency   `json:"urgency"`
	Findings         string            `json:"findings"`
	// RedFlags are red-flag keys of the self-assessment ("leg_weakness"),
	// those of the attached assessment and any the practitioner found.
	RedFlags []string `json:"red_flags"`
	// AssessmentID is the patient's self-assessment attached to it.
	AssessmentID string         `json:"assessment_id,omitempty"`
	Status       ReferralStatus `json:"status"`
	// StatusReason says why it was declined or withdrawn.
	StatusReason string `json:"status_reason,omitempty"`
	// AcceptedBy is the practitioner who accepted it (inside the clinic).
	AcceptedBy int64 `json:"accepted_by,string,omitempty"`
	// BookingID is the appointment it is booked on, while booked (and the
	// one that completed it).
	BookingID int64     `json:"appointment_id,string,omitempty"`
	CreatedBy int64     `json:"created_by,string,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// History is every change, oldest first (read with one referral).
	History []ReferralEvent `json:"history,omitempty"`
	// Actions are what the caller may do with it now (filled for them).
	Actions []ReferralAction `json:"actions"`
}

// External reports whether the referral goes outside the clinic.
func (r *Referral) External() bool { return r.ToExternal != "" }

// Urgent reports whether the referral is flagged urgent.
func (r *Referral) Urgent() bool { return r.Urgency == UrgencyUrgent }

// SameDay reports whether the patient was told to seek care the same day:
// an urgent referral because of red flags.
func (r *Referral) SameDay() bool { return r.Urgent() && len(r.RedFlags) > 0 }

// May reports whether act is among the caller's Actions.
func (r *Referral) May(act ReferralAction) bool { return slices.Contains(r.Actions, act) }

// Destination is where the referral goes, in plain words.
func (r *Referral) Destination() string {
	if r.External() {
		if r.RecipientName != "" {
			return r.ToExternal.Label() + ": " + r.RecipientName
		}
		return r.ToExternal.Label()
	}
	t := r.ToDiscipline.Therapy()
	return strings.ToUpper(t[:1]) + t[1:]
}

// Validate checks a new referral's own fields and tidies them (whether the
// patient and practitioners exist is the service's concern).
func (r *Referral) Validate() error {
	r.Reason, r.Findings = strings.TrimSpace(r.Reason), strings.TrimSpace(r.Findings)
	r.RecipientName, r.RecipientAddress = strings.TrimSpace(r.RecipientName), strings.TrimSpace(r.RecipientAddress)
	if r.Urgency == "" {
		r.Urgency = UrgencyRoutine
	}
	switch {
	case r.PatientID <= 0:
		return FieldError("patient_id", "patient_id is required")
	case r.ToDiscipline == "" && r.ToExternal == "":
		return FieldError("to_discipline", "give to_discipline (physiotherapist, sports_therapist, massage_therapist) or to_external (gp, sports_doctor, other)")
	case r.ToDiscipline != "" && r.ToExternal != "":
		return FieldError("to_external", "a referral goes either inside the clinic (to_discipline) or outside it (to_external), not both")
	case r.ToDiscipline != "" && !r.ToDiscipline.Valid():
		return FieldError("to_discipline", "to_discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	case r.ToExternal != "" && !r.ToExternal.Valid():
		return FieldError("to_external", "to_external must be one of gp, sports_doctor, other")
	case r.ToExternal != "" && r.ToPractitionerID != 0:
		return FieldError("to_practitioner_id", "to_practitioner_id names a practitioner of the clinic; a referral outside it names its recipient")
	case r.ToExternal != "" && r.RecipientName == "":
		return FieldError("recipient_name", "a referral outside the clinic needs the recipient's name (the practice or the doctor)")
	case len(r.RecipientName) > 200:
		return FieldError("recipient_name", "recipient_name can be at most 200 characters")
	case len(r.RecipientAddress) > 500:
		return FieldError("recipient_address", "recipient_address can be at most 500 characters")
	case r.Reason == "":
		return FieldError("reason", "say why you refer the patient")
	case len(r.Reason) > 2000:
		return FieldError("reason", "reason can be at most 2000 characters")
	case len(r.Findings) > 5000:
		return FieldError("findings", "findings can be at most 5000 characters")
	case !r.Urgency.Valid():
		return FieldError("urgency", "urgency must be routine, soon or urgent")
	}
	if r.RedFlags == nil {
		r.RedFlags = []string{}
	}
	for _, f := range r.RedFlags {
		if f == "" || len(f) > 60 {
			return FieldError("red_flags", "red_flags are the red-flag keys of the self-assessment")
		}
	}
	return nil
}

// ReferralEvent is one change in a referral's life: who moved it from one
// status to another, when, and why.
type ReferralEvent struct {
	At     time.Time      `json:"at"`
	Action ReferralAction `json:"action"`
	From   ReferralStatus `json:"from,omitempty"`
	To     ReferralStatus `json:"to"`
	// The actor, as in the audit log: an account's id and role, or the
	// system's job.
	ActorUserID int64  `json:"actor_user_id,string,omitempty"`
	ActorRole   Role   `json:"actor_role,omitempty"`
	ActorName   string `json:"actor_name,omitempty"`
	Note        string `json:"note,omitempty"`
}

// ReferralTransition is one step of the state machine as the store applies
// it, in one transaction with the change that caused it.
type ReferralTransition struct {
	Action ReferralAction
	// AcceptedBy is the practitioner who accepts (ReferralAccept).
	AcceptedBy int64
	// BookingID is the appointment booked (ReferralBook).
	BookingID int64
	// Reason is why it is declined or withdrawn.
	Reason string
}

// ReferralBox narrows a practitioner's list: what came to them or their
// discipline, or what they sent.
type ReferralBox string

const (
	BoxInbox ReferralBox = "inbox"
	BoxSent  ReferralBox = "sent"
)

// ReferralFilter narrows FindReferrals; zero fields match all.
type ReferralFilter struct {
	Status ReferralStatus
	// Statuses keeps referrals in any of these statuses.
	Statuses []ReferralStatus
	// Open keeps referrals still under way.
	Open bool
	// Discipline keeps referrals inside the clinic to that discipline.
	Discipline Discipline
	// External keeps referrals outside the clinic.
	External           bool
	PatientID          int64
	FromPractitionerID int64
	// Box is a practitioner's inbox or sent list (the service sets what it
	// means for the caller).
	Box ReferralBox
	// Party keeps referrals a practitioner is part of: made by them, named
	// to them, accepted by them, or sent to their discipline (set by the
	// service, never by a caller).
	Party *ReferralParty
	// NewestFirst orders by creation, newest first; otherwise the inbox
	// order: urgent first, then soon, then routine, oldest first in each.
	NewestFirst bool
	Page
}

// ReferralParty is a practitioner and their discipline, for
// ReferralFilter.Party.
type ReferralParty struct {
	PractitionerID int64
	Discipline     Discipline
}

// ReferralLetter is everything the letter to a doctor says.
type ReferralLetter struct {
	Referral     *Referral
	Clinic       *Location // the letterhead: the clinic's main location
	ClinicName   string
	Practitioner *Practitioner // who refers
	Patient      *Patient
	// RedFlags are the referral's red flags in plain words.
	RedFlags []string
	// Assessment is the attached self-assessment, if any.
	Assessment *Assessment
	Date       time.Time // when the letter was written (the referral's creation)
}

// ReferralService is referrals as practitioners, reception and patients
// use them.
type ReferralService interface {
	// CreateReferral records a referral from the signed-in practitioner for
	// a patient they treat (CodeNotFound for any other patient).
	// CodeInvalid, naming the field, for a bad one; nothing is stored then.
	CreateReferral(ctx context.Context, r *Referral) error
	// CreateReferralFromAssessment refers the assessment's patient to
	// discipline in one step, with the assessment's reasons as findings:
	// for results that recommend both physiotherapy and massage. The
	// signed-in practitioner must treat the patient.
	CreateReferralFromAssessment(ctx context.Context, assessmentID string, discipline Discipline) (*Referral, error)
	// FindReferralByID returns CodeNotFound when there is no such referral
	// or the actor may not see it; each read by staff is audited.
	FindReferralByID(ctx context.Context, id int64) (*Referral, error)
	// FindReferrals lists what the actor may see: a patient their own; a
	// practitioner what came to them or their discipline and what they
	// sent; reception and admin every discipline's.
	FindReferrals(ctx context.Context, f ReferralFilter) ([]*Referral, int, error)
	// AcceptReferral, DeclineReferral and CompleteReferral are the
	// receiving side's answers (for a referral outside the clinic, the
	// referrer or the desk records the doctor's); WithdrawReferral is the
	// referrer's. CodeConflict for a move the state machine refuses.
	AcceptReferral(ctx context.Context, id int64) (*Referral, error)
	DeclineReferral(ctx context.Context, id int64, reason string) (*Referral, error)
	CompleteReferral(ctx context.Context, id int64) (*Referral, error)
	WithdrawReferral(ctx context.Context, id int64, reason string) (*Referral, error)
	// ReferralLetter is the letter of a referral outside the clinic
	// (CodeNotFound for one inside it), for whoever may see the referral.
	ReferralLetter(ctx context.Context, id int64) (*ReferralLetter, error)
}

// ReferralStore keeps referrals and their history. It applies the state
// machine (NextReferralStatus) inside the transaction of each change, so
// that two changes made together cannot both move a referral from the
// same status.
type ReferralStore interface {
	// InsertReferral stores r as requested, with its first event and the
	// audit line; fills ID, Status, CreatedAt, UpdatedAt. CodeConflict
	// when the assessment is already attached to an open referral to the
	// same destination.
	InsertReferral(ctx context.Context, r *Referral, audit *AuditEntry) error
	// FindReferralByID returns the referral with its history; CodeNotFound.
	FindReferralByID(ctx context.Context, id int64) (*Referral, error)
	FindReferrals(ctx context.Context, f ReferralFilter) ([]*Referral, int, error)
	// TransitionReferral moves a referral by t.Action if the state machine
	// allows it from the status it has in the transaction (CodeConflict
	// otherwise, changing nothing), records the event (its actor that of
	// the audit line), and writes msgs and the audit line, all in one
	// transaction.
	TransitionReferral(ctx context.Context, id int64, t ReferralTransition, msgs []*OutboxMessage, audit *AuditEntry) (*Referral, error)
}
