package backdesk

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Patient is a person's record at the clinic. A patient may have an account
// (a User with role patient) or be known only to reception.
type Patient struct {
	ID          int64  `json:"id,string"`
	Name        string `json:"name"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	DateOfBirth string `json:"date_of_birth,omitempty"`
	// Address is the postal address, as the person writes it.
	Address string `json:"address,omitempty"`
	// FamilyDoctor is the person's own doctor (their GP, or primary care
	// doctor): name and practice.
	FamilyDoctor          string `json:"family_doctor,omitempty"`
	EmergencyContactName  string `json:"emergency_contact_name,omitempty"`
	EmergencyContactPhone string `json:"emergency_contact_phone,omitempty"`
	// ConsentTreatmentAt is when the person consented to assessment and
	// treatment (the health questions before a first visit ask).
	ConsentTreatmentAt *time.Time `json:"consent_treatment_at,omitempty"`
	// ConsentEmail is whether the clinic may email them about their care
	// (appointments' confirmations and reminders, waitlist offers, referral
	// invitations, questionnaires); nil until they were asked. None of
	// those goes to someone who said no (TakesEmail); the answer to a
	// message they send goes to the address they give in it.
	ConsentEmail *bool      `json:"consent_email,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	ErasedAt     *time.Time `json:"erased_at,omitempty"`
	// MergedInto is the record this duplicate was merged into; 0 for a
	// record in its own right.
	MergedInto int64 `json:"merged_into,string,omitempty"`
}

// TakesEmail says whether email about their care reaches the patient: they
// have an address, have not answered no to "May we email you about your
// care?" and have not been erased. The store applies the same rule when it
// addresses a message to a patient (OutboxMessage.ToPatient); pages ask
// this one, so that staff are told to phone whoever it leaves out.
func (p *Patient) TakesEmail() bool {
	return p.Email != "" && (p.ConsentEmail == nil || *p.ConsentEmail) && p.ErasedAt == nil
}

// MaxNameLength is the longest name, in characters, of a person (an
// account or a patient record).
const MaxNameLength = 100

// PatientUpdate holds the details to change; nil fields stay as they are.
// ConsentTreatment true records consent now.
type PatientUpdate struct {
	// Email is for a record without an account (an account's address is
	// its sign-in, changed by its owner).
	Email                 *string `json:"email"`
	Phone                 *string `json:"phone"`
	DateOfBirth           *string `json:"date_of_birth"`
	Address               *string `json:"address"`
	FamilyDoctor          *string `json:"family_doctor"`
	EmergencyContactName  *string `json:"emergency_contact_name"`
	EmergencyContactPhone *string `json:"emergency_contact_phone"`
	ConsentEmail          *bool   `json:"consent_email"`
	ConsentTreatment      *bool   `json:"consent_treatment"`
}

// Apply copies the set fields of u onto p, at now for a consent, and
// returns what changed, field by field, with the old values.
func (u PatientUpdate) Apply(p *Patient, now time.Time) []PatientChange {
	var out []PatientChange
	text := func(field string, dst *string, src *string) {
		if src != nil && *src != *dst {
			out = append(out, PatientChange{Field: field, OldValue: *dst, NewValue: *src})
			*dst = *src
		}
	}
	if u.Email != nil {
		e := strings.ToLower(strings.TrimSpace(*u.Email))
		text("email", &p.Email, &e)
	}
	text("phone", &p.Phone, u.Phone)
	text("date_of_birth", &p.DateOfBirth, u.DateOfBirth)
	text("address", &p.Address, u.Address)
	text("family_doctor", &p.FamilyDoctor, u.FamilyDoctor)
	text("emergency_contact_name", &p.EmergencyContactName, u.EmergencyContactName)
	text("emergency_contact_phone", &p.EmergencyContactPhone, u.EmergencyContactPhone)
	if u.ConsentEmail != nil && (p.ConsentEmail == nil || *p.ConsentEmail != *u.ConsentEmail) {
		old := ""
		if p.ConsentEmail != nil {
			old = yesNo(*p.ConsentEmail)
		}
		out = append(out, PatientChange{Field: "consent_email", OldValue: old, NewValue: yesNo(*u.ConsentEmail)})
		v := *u.ConsentEmail
		p.ConsentEmail = &v
	}
	if u.ConsentTreatment != nil {
		old := ""
		if p.ConsentTreatmentAt != nil {
			old = p.ConsentTreatmentAt.UTC().Format(time.RFC3339)
		}
		switch {
		case *u.ConsentTreatment && p.ConsentTreatmentAt == nil:
			at := now.UTC()
			p.ConsentTreatmentAt = &at
			out = append(out, PatientChange{Field: "consent_treatment", OldValue: old, NewValue: at.Format(time.RFC3339)})
		case !*u.ConsentTreatment && p.ConsentTreatmentAt != nil:
			p.ConsentTreatmentAt = nil
			out = append(out, PatientChange{Field: "consent_treatment", OldValue: old, NewValue: ""})
		}
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// PatientChange is one change to a patient's details, with the value it
// replaced: the record's history, kept beside the audit line of the
// change (which holds no personal details) and blanked when the record is
// erased.
type PatientChange struct {
	ID        int64     `json:"id,string"`
	PatientID int64     `json:"patient_id,string"`
	Field     string    `json:"field"`
	OldValue  string    `json:"old_value"`
	NewValue  string    `json:"new_value"`
	ByUserID  int64     `json:"by_user_id,string,omitempty"`
	ByRole    Role      `json:"by_role,omitempty"`
	At        time.Time `json:"at"`
}

// PatientFilter narrows FindPatients.
type PatientFilter struct {
	// Query matches part of the name or email (either case) or of the
	// phone number; empty lists everyone.
	Query string
	// TreatedBy keeps the patients that practitioner treats: a live
	// appointment with them, past or coming, or a referral named to them
	// or accepted by them that was not declined or withdrawn; 0 keeps
	// everyone.
	TreatedBy int64
	// LookAlike, when set, keeps the records that may be the same person:
	// the same phone number (PhoneKey), the same email or the same date
	// of birth; FindLookAlikes then says which really look alike.
	LookAlike *Patient
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
	// read-only token) search everyone, a practitioner the patients they
	// treat; with f.Visible, the patients the caller may see. Each search
	// is audited.
	FindPatients(ctx context.Context, f PatientFilter) ([]*Patient, int, error)
	// CreatePatient records someone who has no account, such as a caller
	// booked by phone. Reception and admin only.
	CreatePatient(ctx context.Context, p *Patient) error
	// ErasePatient erases a patient's personal details at their request,
	// with their account if they have one; clinical records stay,
	// anonymised. Their future appointments are cancelled, and the times
	// offered to the waitlist. Admin only; CodeConflict if already erased.
	ErasePatient(ctx context.Context, id int64) error
	// UpdatePatient changes a patient's details: the patient their own,
	// the front desk anyone's (CodeNotFound for anyone else). Each change
	// is audited and its old value kept in the record's history.
	UpdatePatient(ctx context.Context, id int64, upd PatientUpdate) (*Patient, error)
	// FindPatientChanges is the history of a record's details, newest
	// first, for whoever may read the record.
	FindPatientChanges(ctx context.Context, id int64) ([]*PatientChange, error)
	// FindLookAlikes lists the records that may be the same person as p
	// (FindLookAlikes, the function), most alike first; p.ID, when set,
	// is left out. For reception and admin; anyone else is shown none.
	FindLookAlikes(ctx context.Context, p *Patient) ([]*LookAlike, error)
	// MergePatients merges the record duplicateID into keepID: everything
	// of the duplicate's moves to the record kept, the duplicate stays,
	// marked merged. Reception and admin; audited. CodeConflict when
	// either is erased or already merged, when the duplicate has an
	// account (merge the other way), or when both have a treatment plan.
	MergePatients(ctx context.Context, keepID, duplicateID int64) (*PatientMerge, error)
	// UndoPatientMerge moves back what merge id moved and makes the
	// duplicate a record in its own right again; audited. CodeConflict if
	// already undone.
	UndoPatientMerge(ctx context.Context, id int64) (*PatientMerge, error)
	// FindPatientMerges lists the merges into or of a record, newest
	// first, for whoever may read the record.
	FindPatientMerges(ctx context.Context, patientID int64) ([]*PatientMerge, error)
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
	// gave, the values in the history of the record's details), their live
	// bookings that have not started are cancelled, their waitlist requests
	// ended and open offers closed; it returns the
	// bookings it cancelled. What the audit trail and the clinical record
	// must keep stays, linked only to the blanked record. CodeNotFound, or
	// CodeConflict if already erased.
	ErasePatient(ctx context.Context, id int64, audit *AuditEntry) ([]*Booking, error)
	// UpdatePatient reads the record, applies upd, validates and writes it,
	// with a history row for each changed field (its author and time from
	// the audit line), in one transaction with the audit line.
	// CodeNotFound, or CodeConflict for an erased record.
	UpdatePatient(ctx context.Context, id int64, upd PatientUpdate, audit *AuditEntry) (*Patient, error)
	// FindPatientChanges lists a record's history, newest first.
	FindPatientChanges(ctx context.Context, patientID int64) ([]*PatientChange, error)
	// MergePatients moves every row of duplicateID's to keepID and marks
	// the duplicate merged, recording what moved, in one transaction with
	// the audit line (whose resource id becomes the merge's). CodeNotFound,
	// CodeInvalid for a record merged into itself, CodeConflict as
	// PatientService.MergePatients says.
	MergePatients(ctx context.Context, keepID, duplicateID int64, audit *AuditEntry) (*PatientMerge, error)
	// UndoPatientMerge moves back the rows merge id moved that still
	// belong to the record kept, in one transaction with the audit line.
	// CodeNotFound, CodeConflict if already undone.
	UndoPatientMerge(ctx context.Context, id int64, audit *AuditEntry) (*PatientMerge, error)
	FindPatientMergeByID(ctx context.Context, id int64) (*PatientMerge, error) // CodeNotFound
	// FindPatientMerges lists the merges into or of a record, newest first.
	FindPatientMerges(ctx context.Context, patientID int64) ([]*PatientMerge, error)
}

// Validate checks a patient record and tidies it: trimmed fields, the
// email lower-cased. Only the name is required.
func (p *Patient) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Phone = strings.TrimSpace(p.Phone)
	p.DateOfBirth = strings.TrimSpace(p.DateOfBirth)
	p.Address = strings.TrimSpace(p.Address)
	p.FamilyDoctor = strings.TrimSpace(p.FamilyDoctor)
	p.EmergencyContactName = strings.TrimSpace(p.EmergencyContactName)
	p.EmergencyContactPhone = strings.TrimSpace(p.EmergencyContactPhone)
	problems := map[string]string{}
	var order []string
	bad := func(field, msg string) {
		if _, ok := problems[field]; !ok {
			problems[field] = msg
			order = append(order, field)
		}
	}
	switch {
	case p.Name == "":
		bad("name", "Please give the name.")
	case utf8.RuneCountInString(p.Name) > MaxNameLength:
		bad("name", fmt.Sprintf("The name can be at most %d characters.", MaxNameLength))
	}
	if p.Email != "" && !ValidEmail(p.Email) {
		bad("email", "The email must be an address such as name@example.org.")
	}
	if !validPhone(p.Phone) {
		bad("phone", "A phone number may hold only digits, spaces and + - ( ), at most 40 of them.")
	}
	if p.DateOfBirth != "" {
		d, err := ParseDate(p.DateOfBirth)
		if err != nil || d.Year < 1900 {
			bad("date_of_birth", "The date of birth must be a date such as 1980-04-23.")
		}
	}
	if utf8.RuneCountInString(p.Address) > 300 {
		bad("address", "The address can be at most 300 characters.")
	}
	if utf8.RuneCountInString(p.FamilyDoctor) > 200 {
		bad("family_doctor", "The doctor's name and practice can be at most 200 characters.")
	}
	if utf8.RuneCountInString(p.EmergencyContactName) > MaxNameLength {
		bad("emergency_contact_name", fmt.Sprintf("The emergency contact's name can be at most %d characters.", MaxNameLength))
	}
	if !validPhone(p.EmergencyContactPhone) {
		bad("emergency_contact_phone", "A phone number may hold only digits, spaces and + - ( ), at most 40 of them.")
	}
	if len(order) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: problems[order[0]], Field: order[0], Fields: problems}
}

func validPhone(s string) bool {
	return len(s) <= 40 && strings.Trim(s, "0123456789 +-()") == ""
}

// Age is the patient's age in whole years on day, from the date of birth;
// false when it is not known.
func (p *Patient) Age(day Date) (int, bool) {
	d, err := ParseDate(p.DateOfBirth)
	if err != nil || p.DateOfBirth == "" {
		return 0, false
	}
	age := day.Year - d.Year
	if day.Month < d.Month || day.Month == d.Month && day.Day < d.Day {
		age--
	}
	return age, age >= 0
}
