package backdesk

import (
	"context"
	"encoding/json"
	"time"
)

// Intake is what a patient tells the clinic before a first visit: their
// details (kept on the patient record), their consent, and, before a first
// massage when they have not done the self-assessment, the self-assessment's
// massage-safety questions with what they say about massage.
type Intake struct {
	ID        int64 `json:"id,string"`
	BookingID int64 `json:"booking_id,string"`
	PatientID int64 `json:"patient_id,string"`
	// Answers are the massage-safety answers (the red flags, pregnancy,
	// diagnosed conditions, leg symptoms) when they were asked.
	Answers json.RawMessage `json:"answers,omitempty"`
	// Safety is what those answers say: whether massage is safe, and the
	// red flags that need a doctor first.
	Safety    *AssessmentResult `json:"safety,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// IntakeSubmission is the health questions as the patient answers them.
type IntakeSubmission struct {
	Details PatientUpdate
	// ConsentTreatment must be true: the patient agrees to be assessed and
	// treated.
	ConsentTreatment bool
	// Answers are the massage-safety answers, when the form asked them.
	Answers json.RawMessage
}

// IntakeForm is what the health questions of a booking ask, and what has
// been answered already.
type IntakeForm struct {
	Booking  *Booking
	Offering *Offering
	Patient  *Patient
	// Safety, when not nil, holds the massage-safety questions to ask (in
	// the clinic's words): a massage visit for someone with no
	// self-assessment on record.
	Safety *Questionnaire
	// Done is the intake already given for this booking, if any.
	Done *Intake
}

// IntakeService takes the health questions before a first visit.
type IntakeService interface {
	// IntakeForm returns what the booking's health questions ask: to the
	// booking's patient and the front desk (CodeNotFound for anyone else).
	IntakeForm(ctx context.Context, bookingID int64) (*IntakeForm, error)
	// SubmitIntake records the answers: the details on the patient record
	// (each change audited, with its old value), the consent, and the
	// massage-safety answers. CodeInvalid, naming every field at fault.
	SubmitIntake(ctx context.Context, bookingID int64, sub IntakeSubmission) (*Intake, error)
	// FindIntake returns a booking's intake to whoever may see the booking
	// (its practitioner sees the answers); CodeNotFound when none was given.
	FindIntake(ctx context.Context, bookingID int64) (*Intake, error)
	// FindIntakes lists a patient's intakes, newest first, for whoever may
	// read the patient's records.
	FindIntakes(ctx context.Context, patientID int64) ([]*Intake, error)
}

// IntakeStore keeps intakes.
type IntakeStore interface {
	// InsertIntake stores in and applies upd to its patient's record (with
	// the record's history), in one transaction with the audit lines;
	// CodeConflict when the booking already has an intake.
	InsertIntake(ctx context.Context, in *Intake, upd PatientUpdate, audit ...*AuditEntry) error
	FindIntakeByBooking(ctx context.Context, bookingID int64) (*Intake, error) // CodeNotFound
	// FindIntakesByPatient lists a patient's intakes, newest first.
	FindIntakesByPatient(ctx context.Context, patientID int64) ([]*Intake, error)
}
