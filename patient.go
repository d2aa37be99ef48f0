package backdesk

import (
	"context"
	"strings"
	"time"
)

// Patient is a person's record at the clinic. A patient may have an account
// (a User with role patient) or be known only to reception.
type Patient struct {
	ID          int64      `json:"id,string"`
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	DateOfBirth string     `json:"date_of_birth,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ErasedAt    *time.Time `json:"erased_at,omitempty"`
}

// PatientFilter narrows FindPatients.
type PatientFilter struct {
	// Query matches part of the name or email (either case) or of the
	// phone number; empty lists everyone.
	Query string
	// Name keeps patients whose name holds it, in either case.
	Name string
	// Visible asks for the patients the caller may see instead of the
	// front desk's search: a patient gets their own record, a practitioner
	// those they treat, the desk everyone (the FHIR facade's Patient
	// search). Without it, anyone but the desk is refused.
	Visible bool
	// IDs, when not nil, keeps these patients only (set by the service).
	IDs []int64
	Page
}

// PatientService reads and records patients.
type PatientService interface {
	// FindPatientByID returns CodeNotFound when there is no such patient or
	// the actor may not see them.
	FindPatientByID(ctx context.Context, id int64) (*Patient, error)
	// FindPatients searches the clinic's patients by name, email or phone,
	// by name; erased records are left out. Reception and admin (and a
	// read-only token) only, unless f.Visible; each search is audited.
	FindPatients(ctx context.Context, f PatientFilter) ([]*Patient, int, error)
	// CreatePatient records someone who has no account, such as a caller
	// booked by phone. Reception and admin only.
	CreatePatient(ctx context.Context, p *Patient) error
	// ErasePatient erases a patient's personal details at their request,
	// with their account if they have one; clinical records stay,
	// anonymised. Their future appointments are cancelled, and the times
	// offered to the waitlist. Admin only; CodeConflict if already erased.
	ErasePatient(ctx context.Context, id int64) error
}

// PatientStore keeps patient records; who may read them is clinic's
// concern (PatientService).
type PatientStore interface {
	FindPatientByID(ctx context.Context, id int64) (*Patient, error) // CodeNotFound
	// FindPatients searches as PatientService.FindPatients does.
	FindPatients(ctx context.Context, f PatientFilter) ([]*Patient, int, error)
	// InsertPatient stores p (validated first) with the audit line; fills
	// ID and CreatedAt.
	InsertPatient(ctx context.Context, p *Patient, audit *AuditEntry) error
	// ErasePatient blanks the record's personal details and removes the
	// patient's account, if any, in one transaction with the audit line:
	// every personal field of every table that names them is removed or
	// blanked (contact messages they sent, emails to them, reasons they
	// gave), their live bookings that have not started are cancelled,
	// their waitlist requests ended and open offers closed; it returns the
	// bookings it cancelled. What the audit trail and the clinical record
	// must keep stays, linked only to the blanked record. CodeNotFound, or
	// CodeConflict if already erased.
	ErasePatient(ctx context.Context, id int64, audit *AuditEntry) ([]*Booking, error)
}

// Validate checks a patient record and tidies it: trimmed fields, the
// email lower-cased. Only the name is required.
func (p *Patient) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Phone = strings.TrimSpace(p.Phone)
	p.DateOfBirth = strings.TrimSpace(p.DateOfBirth)
	switch {
	case p.Name == "":
		return FieldError("name", "name is required")
	case len(p.Name) > 200:
		return FieldError("name", "name can be at most 200 characters")
	case p.Email != "" && !ValidEmail(p.Email):
		return FieldError("email", "email must be an address such as name@example.org")
	case len(p.Phone) > 40 || strings.Trim(p.Phone, "0123456789 +-()") != "":
		return FieldError("phone", "phone may hold only digits, spaces and + - ( )")
	}
	if p.DateOfBirth != "" {
		d, err := ParseDate(p.DateOfBirth)
		if err != nil || d.Year < 1900 {
			return FieldError("date_of_birth", "date of birth must be a date such as 1980-04-23")
		}
	}
	return nil
}
