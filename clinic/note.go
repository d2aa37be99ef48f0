package clinic

import (
	"context"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// NoteService implements backdesk.NoteService: the practitioner of an
// appointment writes its note; only they edit, sign and amend it; who
// reads the text and who only learns that it exists is mayReadNote's, and
// every read by staff is audited.
type NoteService struct {
	Store     backdesk.NoteStore
	Bookings  backdesk.BookingStore
	Referrals backdesk.ReferralStore
	Care      CareRelation
	Audit     backdesk.AuditWriter
	Now       func() time.Time
}

var _ backdesk.NoteService = (*NoteService)(nil)

// maxAmendReason bounds the reason of an amendment.
const maxAmendReason = 1000

// CreateNote starts the draft note of an appointment.
func (s *NoteService) CreateNote(ctx context.Context, bookingID int64, text backdesk.NoteText) (*backdesk.ClinicalNote, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if !mayReadBooking(a, b) {
		return nil, errNoBooking
	}
	if err := mayWriteNote(a, b); err != nil {
		return nil, err
	}
	if b.Status != backdesk.BookingBooked {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "That appointment is cancelled: it has no note.")
	}
	if err := text.Validate(); err != nil {
		return nil, err
	}
	n := &backdesk.ClinicalNote{BookingID: b.ID, PatientID: b.PatientID, PractitionerID: a.PractitionerID, AuthorUserID: a.UserID, NoteText: text}
	if err := s.Store.InsertNote(ctx, n, backdesk.NewAuditEntry(a, backdesk.AuditNoteCreate, b.PatientID, "note", "")); err != nil {
		return nil, err
	}
	n.Actions = noteActions(a, n, true)
	return n, nil
}

// withhold leaves out what a note says, for a reader who may know only
// that it exists.
func withhold(n *backdesk.ClinicalNote) {
	n.NoteText, n.AmendReason, n.TextWithheld = backdesk.NoteText{}, "", true
}

// read loads a note the actor may see, audits the read, and withholds the
// text when they may not read it.
func (s *NoteService) read(ctx context.Context, id int64) (backdesk.Actor, *backdesk.ClinicalNote, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, nil, err
	}
	n, err := s.Store.FindNoteByID(ctx, id)
	if err != nil {
		return a, nil, err
	}
	text, err := mayReadNote(ctx, s.Care, a, n.PatientID)
	if err != nil {
		return a, nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditNoteRead, n.PatientID, "note", strconv.FormatInt(n.ID, 10)); err != nil {
		return a, nil, err
	}
	if !text {
		withhold(n)
	}
	return a, n, nil
}

// latest reports whether n is the latest version of its note.
func (s *NoteService) latest(ctx context.Context, n *backdesk.ClinicalNote) (bool, error) {
	all, err := s.Store.FindNotes(ctx, backdesk.NoteFilter{BookingID: n.BookingID})
	if err != nil {
		return false, err
	}
	return len(all) > 0 && all[len(all)-1].ID == n.ID, nil
}

// FindNoteByID returns one version of a note, as the actor may see it.
func (s *NoteService) FindNoteByID(ctx context.Context, id int64) (*backdesk.ClinicalNote, error) {
	a, n, err := s.read(ctx, id)
	if err != nil {
		return nil, err
	}
	latest, err := s.latest(ctx, n)
	if err != nil {
		return nil, err
	}
	n.Actions = noteActions(a, n, latest)
	return n, nil
}

// FindNotes lists every version of an appointment's note, oldest first.
func (s *NoteService) FindNotes(ctx context.Context, bookingID int64) ([]*backdesk.ClinicalNote, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, bookingID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, errNoBooking
	} else if err != nil {
		return nil, err
	}
	text, err := mayReadNote(ctx, s.Care, a, b.PatientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, errNoBooking // not revealing the appointment either
	} else if err != nil {
		return nil, err
	}
	list, err := s.Store.FindNotes(ctx, backdesk.NoteFilter{BookingID: b.ID})
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditNoteList, b.PatientID, "note", ""); err != nil {
		return nil, err
	}
	for i, n := range list {
		if !text {
			withhold(n)
		}
		n.Actions = noteActions(a, n, i == len(list)-1)
	}
	return list, nil
}

// change loads a note its author may change by act: CodeNotFound for
// whoever may not see it, CodeForbidden for anyone but the author.
func (s *NoteService) change(ctx context.Context, id int64, act backdesk.NoteAction) (backdesk.Actor, *backdesk.ClinicalNote, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, nil, err
	}
	n, err := s.Store.FindNoteByID(ctx, id)
	if err != nil {
		return a, nil, err
	}
	if _, err := mayReadNote(ctx, s.Care, a, n.PatientID); err != nil {
		return a, nil, err
	}
	if err := mayChangeNote(a, n, act); err != nil {
		return a, nil, err
	}
	return a, n, nil
}

// UpdateNote changes a draft, for its author.
func (s *NoteService) UpdateNote(ctx context.Context, id int64, text backdesk.NoteText) (*backdesk.ClinicalNote, error) {
	a, n, err := s.change(ctx, id, backdesk.NoteEdit)
	if err != nil {
		return nil, err
	}
	if n.Status != backdesk.NoteDraft {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "This note is signed and cannot be changed; amend it instead.")
	}
	if err := text.Validate(); err != nil {
		return nil, err
	}
	n, err = s.Store.UpdateNote(ctx, id, text, backdesk.NewAuditEntry(a, backdesk.AuditNoteUpdate, n.PatientID, "note", strconv.FormatInt(id, 10)))
	if err != nil {
		return nil, err
	}
	n.Actions = noteActions(a, n, true)
	return n, nil
}

// SignNote signs a draft for its author. Signing the note of an
// appointment booked from a referral, once the appointment has started,
// completes the referral in the same transaction: the visit it asked for
// has happened and is recorded.
func (s *NoteService) SignNote(ctx context.Context, id int64) (*backdesk.ClinicalNote, error) {
	a, n, err := s.change(ctx, id, backdesk.NoteSign)
	if err != nil {
		return nil, err
	}
	if n.Status != backdesk.NoteDraft {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "This note is signed already.")
	}
	var completes int64
	b, err := s.Bookings.FindBookingByID(ctx, n.BookingID)
	if err != nil {
		return nil, err
	}
	if b.ReferralID != 0 && s.Referrals != nil && !b.Start.After(s.Now()) {
		r, err := s.Referrals.FindReferralByID(ctx, b.ReferralID)
		if err != nil {
			return nil, err
		}
		if r.Status == backdesk.ReferralBooked && r.BookingID == b.ID {
			completes = r.ID
		}
	}
	n, err = s.Store.SignNote(ctx, id, a.UserID, completes, backdesk.NewAuditEntry(a, backdesk.AuditNoteSign, n.PatientID, "note", strconv.FormatInt(id, 10)))
	if err != nil {
		return nil, err
	}
	n.Actions = noteActions(a, n, true)
	return n, nil
}

// AmendNote adds the next version of a signed note, for its author.
func (s *NoteService) AmendNote(ctx context.Context, id int64, text backdesk.NoteText, reason string) (*backdesk.ClinicalNote, error) {
	a, n, err := s.change(ctx, id, backdesk.NoteAmend)
	if err != nil {
		return nil, err
	}
	if n.Status == backdesk.NoteDraft {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "A draft is edited, not amended: only a signed note is amended.")
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, backdesk.FieldError("reason", "say why the note is amended")
	case len(reason) > maxAmendReason:
		return nil, backdesk.FieldError("reason", "reason can be at most %d characters", maxAmendReason)
	}
	if err := text.Validate(); err != nil {
		return nil, err
	}
	amendment := &backdesk.ClinicalNote{PractitionerID: a.PractitionerID, AuthorUserID: a.UserID, AmendReason: reason, NoteText: text}
	if err := s.Store.AmendNote(ctx, id, amendment, backdesk.NewAuditEntry(a, backdesk.AuditNoteAmend, n.PatientID, "note", "")); err != nil {
		return nil, err
	}
	amendment.Actions = noteActions(a, amendment, true)
	return amendment, nil
}
