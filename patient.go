package backdesk

import (
	"context"
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

// CanSeePatient reports whether the actor may see patient records of
// patientID: the patient themselves, and reception and admin across the
// clinic. Practitioners see the records of patients they treat (treats: an
// appointment together, past or coming; referrals will add to it).
func CanSeePatient(a Actor, patientID int64, treats bool) bool {
	switch a.Role {
	case RolePatient:
		return patientID != 0 && a.PatientID == patientID
	case RoleReception, RoleAdmin:
		return true
	case RolePractitioner:
		return treats
	}
	return false
}

// PatientService reads patient records.
type PatientService interface {
	// FindPatientByID returns CodeNotFound when there is no such patient or
	// the actor may not see them.
	FindPatientByID(ctx context.Context, id int64) (*Patient, error)
}
