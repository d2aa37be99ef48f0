package backdesk

import (
	"context"
	"slices"
	"strings"
	"time"
)

// NoteStatus is where a clinical note stands.
type NoteStatus string

const (
	// NoteDraft can still be edited by its author.
	NoteDraft NoteStatus = "draft"
	// NoteSigned is final: it is never changed again, only amended by a
	// new version (the database refuses any change to a signed row).
	NoteSigned NoteStatus = "signed"
)

// NoteAction is something the caller may do with a note.
type NoteAction string

const (
	NoteEdit  NoteAction = "edit"
	NoteSign  NoteAction = "sign"
	NoteAmend NoteAction = "amend"
)

// NoteText is the body of a SOAP note: what the patient says, what the
// practitioner found, their assessment, and the plan.
type NoteText struct {
	Subjective string `json:"subjective"`
	Objective  string `json:"objective"`
	Assessment string `json:"assessment"`
	Plan       string `json:"plan"`
}

// maxNoteSection bounds each section of a note.
const maxNoteSection = 20000

// Validate tidies the text and checks that it says something and is not
// too long.
func (t *NoteText) Validate() error {
	t.Subjective, t.Objective = strings.TrimSpace(t.Subjective), strings.TrimSpace(t.Objective)
	t.Assessment, t.Plan = strings.TrimSpace(t.Assessment), strings.TrimSpace(t.Plan)
	for _, f := range []struct{ name, v string }{{"subjective", t.Subjective}, {"objective", t.Objective}, {"assessment", t.Assessment}, {"plan", t.Plan}} {
		if len(f.v) > maxNoteSection {
			return FieldError(f.name, "%s can be at most %d characters", f.name, maxNoteSection)
		}
	}
	if t.Subjective+t.Objective+t.Assessment+t.Plan == "" {
		return FieldError("subjective", "the note is empty: write at least one of subjective, objective, assessment and plan")
	}
	return nil
}

// ClinicalNote is one version of the SOAP note of an appointment. Version
// 1 is written as a draft, edited by its author and signed; a signed note
// is changed only by amending it, which adds the next version, signed, with
// the reason, and leaves every earlier version as it was.
type ClinicalNote struct {
	ID        int64 `json:"id,string"`
	BookingID int64 `json:"appointment_id,string"`
	PatientID int64 `json:"patient_id,string"`
	// PractitionerID wrote it; AuthorUserID is their account.
	PractitionerID int64 `json:"practitioner_id,string"`
	AuthorUserID   int64 `json:"author_user_id,string,omitempty"`
	Version        int   `json:"version"`
	// Amends is the version this one replaces (0 for version 1).
	Amends      int64      `json:"amends,string,omitempty"`
	AmendReason string     `json:"amend_reason,omitempty"`
	Status      NoteStatus `json:"status"`
	NoteText
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	SignedAt  *time.Time `json:"signed_at,omitempty"`
	SignedBy  int64      `json:"signed_by,string,omitempty"`
	// TextWithheld says the text was left out: the caller (reception) may
	// know that the note exists, not what it says.
	TextWithheld bool `json:"text_withheld,omitempty"`
	// Actions are what the caller may do with it now (filled for them).
	Actions []NoteAction `json:"actions"`
}

// May reports whether act is among the caller's Actions.
func (n *ClinicalNote) May(act NoteAction) bool { return slices.Contains(n.Actions, act) }

// NoteFilter narrows FindNotes; zero fields match all.
type NoteFilter struct {
	BookingID int64
	PatientID int64
}

// NoteService is clinical notes as practitioners write them and staff
// read them.
type NoteService interface {
	// CreateNote starts the draft note of an appointment: its own
	// practitioner only. CodeConflict when the appointment has a note.
	CreateNote(ctx context.Context, bookingID int64, text NoteText) (*ClinicalNote, error)
	// FindNoteByID returns one version: the text to practitioners who
	// treat the patient and to admins; to reception without its text;
	// CodeNotFound for anyone else (patients read their notes in their
	// export). Every read by staff is audited.
	FindNoteByID(ctx context.Context, id int64) (*ClinicalNote, error)
	// FindNotes lists every version of an appointment's note, oldest
	// first, to the same readers.
	FindNotes(ctx context.Context, bookingID int64) ([]*ClinicalNote, error)
	// UpdateNote changes a draft: its author only. CodeConflict once
	// signed.
	UpdateNote(ctx context.Context, id int64, text NoteText) (*ClinicalNote, error)
	// SignNote signs a draft: its author only; CodeConflict once signed.
	SignNote(ctx context.Context, id int64) (*ClinicalNote, error)
	// AmendNote adds the next version of a signed note, signed, with the
	// reason: the author only. CodeConflict for a draft (a draft is edited)
	// or for an earlier version than the latest.
	AmendNote(ctx context.Context, id int64, text NoteText, reason string) (*ClinicalNote, error)
}

// NoteStore keeps clinical notes. A signed note is never changed: the
// store refuses, and so does the database itself (a trigger), whatever
// path a change takes.
type NoteStore interface {
	// InsertNote stores n as the draft version 1 of its appointment's note,
	// with the audit line; fills ID, Version, Status and the times.
	// CodeConflict when the appointment has a note already.
	InsertNote(ctx context.Context, n *ClinicalNote, audit *AuditEntry) error
	FindNoteByID(ctx context.Context, id int64) (*ClinicalNote, error) // CodeNotFound
	// FindNotes lists matching versions, by appointment and version.
	FindNotes(ctx context.Context, f NoteFilter) ([]*ClinicalNote, error)
	// UpdateNote replaces a draft's text; CodeConflict if it is signed.
	UpdateNote(ctx context.Context, id int64, text NoteText, audit *AuditEntry) (*ClinicalNote, error)
	// SignNote signs a draft as user signedBy; CodeConflict if it is
	// signed already. completes, when not 0, is a referral booked on the
	// note's appointment that the signed visit completes, in the same
	// transaction (the state machine must allow it).
	SignNote(ctx context.Context, id, signedBy, completes int64, audit *AuditEntry) (*ClinicalNote, error)
	// AmendNote stores amendment as the next version after the signed
	// latest version id, signed at once; CodeConflict when id is a draft or
	// not the latest version (someone amended it first).
	AmendNote(ctx context.Context, id int64, amendment *ClinicalNote, audit *AuditEntry) error
}
