package backdesk

import (
	"context"
	"time"
)

// Audit actions. Every read and change of a patient's records writes one.
const (
	AuditAssessmentCreate  = "assessment.create"
	AuditAssessmentRead    = "assessment.read"
	AuditAssessmentList    = "assessment.list"
	AuditAccountCreate     = "account.create"
	AuditPasswordReset     = "account.password_reset"
	AuditPersonalExport    = "patient.export"
	AuditPersonalErase     = "patient.erase"
	AuditBookingCreate     = "booking.create"
	AuditBookingRead       = "booking.read"
	AuditBookingList       = "booking.list"
	AuditBookingCancel     = "booking.cancel"
	AuditBookingReschedule = "booking.reschedule"
	AuditMessageCreate     = "message.create"
	AuditMessageRead       = "message.read"
	AuditMessageAnswer     = "message.answer"
	AuditPatientCreate     = "patient.create"
	AuditPatientRead       = "patient.read"
	AuditPatientList       = "patient.list"
)

// AuditEntry is one line of the append-only audit log: who did what to
// whose records, when and from where. It holds ids, never names or content.
type AuditEntry struct {
	ID          int64     `json:"id,string"`
	At          time.Time `json:"at"`
	ActorUserID int64     `json:"actor_user_id,string,omitempty"`
	ActorRole   Role      `json:"actor_role,omitempty"`
	Action      string    `json:"action"`
	PatientID   int64     `json:"patient_id,string,omitempty"`
	Resource    string    `json:"resource"`
	ResourceID  string    `json:"resource_id,omitempty"`
	Source      string    `json:"source,omitempty"` // client address
}

// NewAuditEntry describes action by the actor of ctx on a patient's resource.
func NewAuditEntry(ctx context.Context, action string, patientID int64, resource, resourceID string) AuditEntry {
	a := ActorFromContext(ctx)
	return AuditEntry{ActorUserID: a.UserID, ActorRole: a.Role, Action: action, PatientID: patientID,
		Resource: resource, ResourceID: resourceID, Source: a.Source}
}

// AuditFilter narrows FindAuditEntries; zero fields match all.
type AuditFilter struct {
	PatientID   int64
	ActorUserID int64
	Action      string
	From, To    time.Time // To is exclusive
	Page
}

// AuditService is the audit log as admins browse it.
type AuditService interface {
	// FindAuditEntries returns matching entries, newest first, and the total;
	// admins only (CodeForbidden otherwise).
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}

// AuditStore keeps the audit log. Entries can be added, never changed or
// removed: the database refuses UPDATE and DELETE.
type AuditStore interface {
	AuditService
	AuditWriter
}

// AuditWriter appends to the audit log; it fills ID and At.
type AuditWriter interface {
	InsertAudit(ctx context.Context, e *AuditEntry) error
}

const auditKey contextKey = 100

// NewContextWithAudit returns ctx carrying an audit entry that the store
// writes in the same transaction as the change it describes, so that a
// change is never without its audit line.
func NewContextWithAudit(ctx context.Context, e AuditEntry) context.Context {
	return context.WithValue(ctx, auditKey, e)
}

// AuditFromContext returns the pending audit entry of ctx, if any.
func AuditFromContext(ctx context.Context) (AuditEntry, bool) {
	e, ok := ctx.Value(auditKey).(AuditEntry)
	return e, ok
}
