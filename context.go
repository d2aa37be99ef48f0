package backdesk

import (
	"context"
	"slices"
)

type contextKey int

const actorKey contextKey = iota

// Actor is who is making a request. The zero Actor is anonymous.
type Actor struct {
	UserID    int64
	Role      Role
	PatientID int64  // set for role patient: their own patient record
	Name      string // for display; for the system, the job's name
	// PractitionerID is set when the account belongs to a practitioner.
	PractitionerID int64
	// TokenID is set when the request carries an integration's API token
	// (the actor's Role and Name are then the token's); UserID is 0.
	TokenID int64
	// Unverified is set for a patient account whose email address is not
	// confirmed yet: it may not book or join the waitlist until it is.
	Unverified bool
	// Source is where the request came from (client address), for audit.
	Source string
	// Grants are what the actor may do, as clinic decided when it
	// identified them (clinic/access.go). The web layer reads them only to
	// choose which links and forms to show; clinic checks every action
	// again, from the role, whatever Grants say.
	Grants []Permission
}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.Role == "" }

// May reports whether the actor was granted p, for choosing what to show.
// It is never the check itself: clinic makes that.
func (a Actor) May(p Permission) bool { return slices.Contains(a.Grants, p) }

// Permission is something an actor may be allowed to do. Which roles have
// which permissions is decided in one place, clinic/access.go.
type Permission string

const (
	// PermEditCatalogue: create and change locations, practitioners and
	// services.
	PermEditCatalogue Permission = "edit_catalogue"
	// PermReadAudit: read the audit log.
	PermReadAudit Permission = "read_audit"
	// PermErasePatients: erase a patient's personal details at their
	// request.
	PermErasePatients Permission = "erase_patients"
	// PermFrontDesk: find and record patients, book and use the waitlist
	// for them, the clinic's diary, the contact inbox, the outbox, and
	// anyone's time off.
	PermFrontDesk Permission = "front_desk"
	// PermTreat: a practitioner's own diary, time off and calendar feed, and
	// the records of the patients they treat.
	PermTreat Permission = "treat"
	// PermBookForSelf: a patient books and uses the waitlist for
	// themselves.
	PermBookForSelf Permission = "book_for_self"
	// PermManageFeeds: make and revoke any practitioner's calendar feed.
	PermManageFeeds Permission = "manage_feeds"
	// PermManageAccounts: create accounts of any role and read any account.
	PermManageAccounts Permission = "manage_accounts"
	// PermBrowseExercises: the exercise library's pages, for the clinic's
	// staff.
	PermBrowseExercises Permission = "browse_exercises"
	// PermWriteExercises: add and change the clinic's own exercises.
	PermWriteExercises Permission = "write_exercises"
	// PermRunJobs: the clinic's background work (reminder sweeps); the
	// system only.
	PermRunJobs Permission = "run_jobs"
	// PermReadNotes: read the text of any clinical note (practitioners
	// read those of the patients they treat through PermTreat).
	PermReadNotes Permission = "read_notes"
	// PermReadClinic: read the clinic's records as the front desk sees
	// them (patients, appointments, referrals, self-assessments), and change
	// nothing: an integration's read-only token.
	PermReadClinic Permission = "read_clinic"
	// PermManageIntegrations: make and revoke API tokens, and manage
	// webhook endpoints and their deliveries.
	PermManageIntegrations Permission = "manage_integrations"
)

// SystemActor is the clinic's own processing, which no person started
// (offering a freed time to the waitlist, seeding the demo clinic, an
// operator's command). Its job names it in the audit log.
func SystemActor(job string) Actor { return Actor{Role: RoleSystem, Name: job} }

// NewContextWithActor returns a copy of ctx carrying a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFromContext returns the actor of ctx; anonymous when none was set.
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey).(Actor)
	return a
}

// Operation is something a request asks to do with what it sends, named
// by what it does, not by who may: clinic/access.go says who may attempt
// each, and the service that does it begins with that same check. The web
// layer asks first (Precheck), so that a caller who may never do it is
// refused before their request's body is read.
type Operation string

const (
	// OpEditCatalogue: create or change a location, practitioner or service.
	OpEditCatalogue Operation = "edit_catalogue"
	// OpBook: book an appointment.
	OpBook Operation = "book"
	// OpWaitlist: ask the waitlist to offer a time that frees up.
	OpWaitlist Operation = "waitlist"
	// OpChangeBooking: cancel or move an appointment (whose, the booking
	// decides).
	OpChangeBooking Operation = "change_booking"
	// OpChangePatient: change a patient's details (whose, the record
	// decides: the patient their own, the desk anyone's).
	OpChangePatient Operation = "change_patient"
	// OpAnswerIntake: answer the health questions before an appointment
	// (whose, the booking decides: its patient, or the desk with them).
	OpAnswerIntake Operation = "answer_intake"
	// OpManageTimeOff: record or remove a practitioner's time off.
	OpManageTimeOff Operation = "manage_time_off"
	// OpAnswerMessage: answer a contact message.
	OpAnswerMessage Operation = "answer_message"
	// OpRecordPatient: record a patient who has no account.
	OpRecordPatient Operation = "record_patient"
	// OpMergePatients: merge a duplicate patient record into another, or
	// undo a merge.
	OpMergePatients Operation = "merge_patients"
	// OpErasePatient: erase a patient's personal details at their request.
	OpErasePatient Operation = "erase_patient"
	// OpEraseAccount: erase one's own account.
	OpEraseAccount Operation = "erase_account"
	// OpRefer: refer a patient (to a discipline, a practitioner, a doctor).
	OpRefer Operation = "refer"
	// OpMoveReferral: accept, decline, complete or withdraw a referral.
	OpMoveReferral Operation = "move_referral"
	// OpWriteNote: write, edit or amend a clinical note.
	OpWriteNote Operation = "write_note"
	// OpWriteExercises: add or change the clinic's own home exercises.
	OpWriteExercises Operation = "write_exercises"
	// OpWritePlan: write or change a patient's treatment plan.
	OpWritePlan Operation = "write_plan"
	// OpFollowPlan: log one's exercises, choose one's plan emails.
	OpFollowPlan Operation = "follow_plan"
	// OpRecordOutcome: record outcome scores (pain, Oswestry…).
	OpRecordOutcome Operation = "record_outcome"
	// OpManageIntegrations: create or revoke an API token; add, change or
	// delete a webhook endpoint; resend a webhook delivery.
	OpManageIntegrations Operation = "manage_integrations"
)

// AccessService answers whether the actor may do something, for pages that
// show a form before anything is submitted, and for requests before their
// bodies are read (the submission is checked again by the service that
// does it).
type AccessService interface {
	// Authorize returns CodeUnauthorized when nobody is signed in and
	// CodeForbidden when the actor may not p.
	Authorize(ctx context.Context, p Permission) error
	// Precheck returns CodeUnauthorized or CodeForbidden when the actor
	// could never be allowed op, whatever they ask for; nil means only that
	// the service doing it will decide, with the request in hand.
	Precheck(ctx context.Context, op Operation) error
	// AuthorizeMetrics checks a request for the operators' metrics: the
	// bearer token it presents ("" for none) or its client address;
	// CodeUnauthorized otherwise.
	AuthorizeMetrics(ctx context.Context, bearer string) error
	// StartPage is the page that signing in leads to when nothing asked
	// for another: the front desk's diary, a practitioner's day, the home
	// page for everyone else; CodeUnauthorized for nobody.
	StartPage(ctx context.Context) (string, error)
}
