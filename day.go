package backdesk

import (
	"context"
	"time"
)

// PractitionerDay is a practitioner's day: the appointments, in order, each
// with what they need to know before the patient walks in.
type PractitionerDay struct {
	Date           Date         `json:"date"`
	PractitionerID int64        `json:"practitioner_id,string"`
	Appointments   []DayPatient `json:"appointments"`
}

// DayPatient is one appointment of the day and its patient's state.
type DayPatient struct {
	Booking *Booking `json:"appointment"`
	// Assessment is the patient's latest self-assessment, if any.
	Assessment *AssessmentOutcome `json:"latest_assessment,omitempty"`
	// Referrals are the patient's open referrals.
	Referrals []*Referral `json:"open_referrals"`
	// PreviousVisit is the patient's last appointment with this
	// practitioner before this one, and PreviousNote the state of its note.
	PreviousVisit *Booking       `json:"previous_visit,omitempty"`
	PreviousNote  PreviousNoteIs `json:"previous_note,omitempty"`
}

// AssessmentOutcome is the gist of a self-assessment.
type AssessmentOutcome struct {
	ID          string      `json:"id"`
	Disposition Disposition `json:"disposition"`
	Headline    string      `json:"headline"`
	RedFlags    []string    `json:"red_flags"`
	Massage     string      `json:"massage_suitable"`
	CreatedAt   time.Time   `json:"created_at"`
}

// PreviousNoteIs is the state of the previous visit's note.
type PreviousNoteIs string

const (
	// PreviousNoteMissing: no note was started for it.
	PreviousNoteMissing PreviousNoteIs = "missing"
	// PreviousNoteUnsigned: the note is still a draft.
	PreviousNoteUnsigned PreviousNoteIs = "unsigned"
	PreviousNoteSigned   PreviousNoteIs = "signed"
)

// DayService is the practitioner's day.
type DayService interface {
	// FindDay lists the appointments of practitionerID on date (in the
	// clinic's time zone; the zero date is today): a practitioner their
	// own (0 means themselves), reception and admin anyone's. Each
	// patient's records read for it are audited.
	FindDay(ctx context.Context, practitionerID int64, date Date) (*PractitionerDay, error)
}
