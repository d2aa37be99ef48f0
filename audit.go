package backdesk

import (
	"context"
	"time"
)

// AuditAction names what an audit line records.
type AuditAction string

// Audit actions. Every read and change of a patient's records writes one,
// and so does every change to accounts and the catalogue.
const (
	AuditAssessmentCreate  AuditAction = "assessment.create"
	AuditAssessmentRead    AuditAction = "assessment.read"
	AuditAssessmentList    AuditAction = "assessment.list"
	AuditAssessmentClaim   AuditAction = "assessment.claim"
	AuditAccountCreate     AuditAction = "account.create"
	AuditPasswordReset     AuditAction = "account.password_reset"
	AuditEmailVerify       AuditAction = "account.verify_email"
	AuditPersonalExport    AuditAction = "patient.export"
	AuditPersonalErase     AuditAction = "patient.erase"
	AuditBookingCreate     AuditAction = "booking.create"
	AuditBookingRead       AuditAction = "booking.read"
	AuditBookingList       AuditAction = "booking.list"
	AuditBookingCancel     AuditAction = "booking.cancel"
	AuditBookingReschedule AuditAction = "booking.reschedule"
	AuditBookingAttendance AuditAction = "booking.attendance"
	AuditMessageCreate     AuditAction = "message.create"
	AuditMessageRead       AuditAction = "message.read"
	AuditMessageAnswer     AuditAction = "message.answer"
	AuditPatientCreate     AuditAction = "patient.create"
	AuditPatientRead       AuditAction = "patient.read"
	AuditPatientList       AuditAction = "patient.list"
	AuditPatientUpdate     AuditAction = "patient.update"
	AuditPatientMerge      AuditAction = "patient.merge"
	AuditPatientUnmerge    AuditAction = "patient.unmerge"
	AuditIntakeCreate      AuditAction = "intake.create"
	AuditIntakeRead        AuditAction = "intake.read"
	AuditWaitlistCreate    AuditAction = "waitlist.create"
	AuditWaitlistCancel    AuditAction = "waitlist.cancel"
	AuditWaitlistOffer     AuditAction = "waitlist.offer"
	AuditWaitlistAnswer    AuditAction = "waitlist.answer"
	AuditTimeOffCreate     AuditAction = "time_off.create"
	AuditTimeOffDelete     AuditAction = "time_off.delete"
	AuditCalendarFeed      AuditAction = "calendar_feed.change"
	AuditCatalogueCreate   AuditAction = "catalogue.create"
	AuditCatalogueUpdate   AuditAction = "catalogue.update"
	AuditReferralCreate    AuditAction = "referral.create"
	AuditReferralRead      AuditAction = "referral.read"
	AuditReferralList      AuditAction = "referral.list"
	AuditReferralAnswer    AuditAction = "referral.answer" // accept, decline, complete, withdraw
	AuditReferralLetter    AuditAction = "referral.letter"
	AuditNoteCreate        AuditAction = "note.create"
	AuditNoteUpdate        AuditAction = "note.update"
	AuditNoteSign          AuditAction = "note.sign"
	AuditNoteAmend         AuditAction = "note.amend"
	AuditNoteRead          AuditAction = "note.read"
	AuditNoteList          AuditAction = "note.list"
	AuditDayRead           AuditAction = "day.read"
	AuditTokenCreate       AuditAction = "api_token.create"
	AuditTokenRevoke       AuditAction = "api_token.revoke"
	AuditTokenUse          AuditAction = "api_token.use" // one line per request made with a token
	AuditWebhookCreate     AuditAction = "webhook.create"
	AuditWebhookUpdate     AuditAction = "webhook.update"
	AuditWebhookDelete     AuditAction = "webhook.delete"
	AuditWebhookResend     AuditAction = "webhook.resend"
)

// Audit actions of treatment plans, home exercises and outcomes.
const (
	AuditCarePlanCreate  AuditAction = "care_plan.create"
	AuditCarePlanChange  AuditAction = "care_plan.change"
	AuditCarePlanRead    AuditAction = "care_plan.read"
	AuditExerciseLog     AuditAction = "exercise_log.create"
	AuditExerciseLogRead AuditAction = "exercise_log.read"
	AuditOutcomeRecord   AuditAction = "outcome.record"
	AuditOutcomeRead     AuditAction = "outcome.read"
	AuditOutcomeRequest  AuditAction = "outcome.request"
	AuditRemindersChange AuditAction = "reminders.change"
	AuditReminderSend    AuditAction = "reminders.send"
	AuditExerciseCreate  AuditAction = "exercise.create"
	AuditExerciseChange  AuditAction = "exercise.change"
)

// AuditEntry is one line of the append-only audit log: who did what to
// whose records, when and from where. It holds ids, never a person's name or
// the content of a record.
type AuditEntry struct {
	ID          int64     `json:"id,string"`
	At          time.Time `json:"at"`
	ActorUserID int64     `json:"actor_user_id,string,omitempty"`
	ActorRole   Role      `json:"actor_role,omitempty"`
	// ActorName names an actor that is not a person: the system's job
	// ("waitlist"), or an integration's API token by its (unique) name.
	// Never a person's name.
	ActorName  string      `json:"actor_name,omitempty"`
	Action     AuditAction `json:"action"`
	PatientID  int64       `json:"patient_id,string,omitempty"`
	Resource   string      `json:"resource"`
	ResourceID string      `json:"resource_id,omitempty"`
	Source     string      `json:"source,omitempty"` // client address
}

// NewAuditEntry describes action by a on a resource, which belongs to the
// records of patientID when that is not 0. An empty resourceID on a write
// that creates the resource becomes the new record's id.
func NewAuditEntry(a Actor, action AuditAction, patientID int64, resource, resourceID string) *AuditEntry {
	e := &AuditEntry{ActorUserID: a.UserID, ActorRole: a.Role, Action: action, PatientID: patientID,
		Resource: resource, ResourceID: resourceID, Source: a.Source}
	if a.Role == RoleSystem || a.TokenID != 0 {
		e.ActorName = a.Name
	}
	return e
}

// AuditFilter narrows FindAuditEntries; zero fields match all.
type AuditFilter struct {
	PatientID   int64
	ActorUserID int64
	// Person matches part of the name or email of the actor or of the
	// patient whose records the entry is about (accents and case aside).
	Person   string
	Action   AuditAction
	From, To time.Time // To is exclusive
	Page
}

// AuditNames are the names of the people an audit log page names by id:
// accounts (the actors) and patients. The log itself holds ids only.
type AuditNames struct {
	Users    map[int64]string `json:"users"`
	Patients map[int64]string `json:"patients"`
}

// AuditActions is every action, for choosing one to filter by.
var AuditActions = []AuditAction{
	AuditAssessmentCreate, AuditAssessmentRead, AuditAssessmentList, AuditAssessmentClaim, AuditAccountCreate, AuditPasswordReset,
	AuditPersonalExport, AuditPersonalErase, AuditBookingCreate, AuditBookingRead, AuditBookingList, AuditBookingCancel,
	AuditBookingReschedule, AuditBookingAttendance, AuditMessageCreate, AuditMessageRead, AuditMessageAnswer, AuditPatientCreate,
	AuditPatientRead, AuditPatientList, AuditPatientUpdate, AuditPatientMerge, AuditPatientUnmerge, AuditIntakeCreate, AuditIntakeRead,
	AuditWaitlistCreate, AuditWaitlistCancel, AuditWaitlistOffer, AuditWaitlistAnswer, AuditTimeOffCreate, AuditTimeOffDelete,
	AuditCalendarFeed, AuditCatalogueCreate, AuditCatalogueUpdate, AuditReferralCreate, AuditReferralRead, AuditReferralList,
	AuditReferralAnswer, AuditReferralLetter, AuditNoteCreate, AuditNoteUpdate, AuditNoteSign, AuditNoteAmend, AuditNoteRead,
	AuditNoteList, AuditDayRead, AuditCarePlanCreate, AuditCarePlanChange, AuditCarePlanRead, AuditExerciseLog, AuditExerciseLogRead,
	AuditOutcomeRecord, AuditOutcomeRead, AuditOutcomeRequest, AuditRemindersChange, AuditReminderSend, AuditExerciseCreate,
	AuditExerciseChange, AuditEmailVerify, AuditTokenCreate, AuditTokenRevoke, AuditTokenUse, AuditWebhookCreate, AuditWebhookUpdate,
	AuditWebhookDelete, AuditWebhookResend,
}

// AuditService is the audit log as admins browse it.
type AuditService interface {
	// FindAuditEntries returns matching entries, newest first, and the total;
	// admins only (CodeForbidden otherwise).
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// AuditNames are the names of the accounts and patients entries name;
	// admins only.
	AuditNames(ctx context.Context, entries []*AuditEntry) (*AuditNames, error)
}

// AuditStore keeps the audit log. Entries can be added, never changed or
// removed: the database refuses UPDATE and DELETE. A change's own line is
// an argument of the store method that makes the change, written in the
// same transaction; InsertAudit is for reads.
type AuditStore interface {
	AuditWriter
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// AuditNames reads the names of those accounts and patients (an erased
	// patient's is the erased record's).
	AuditNames(ctx context.Context, userIDs, patientIDs []int64) (*AuditNames, error)
}

// AuditWriter appends to the audit log; it fills ID and At.
type AuditWriter interface {
	InsertAudit(ctx context.Context, e *AuditEntry) error
}
