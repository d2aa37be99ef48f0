package clinic

import (
	"context"
	"fmt"
	"strconv"

	"backdesk"
)

// PatientService implements backdesk.PatientService over a PatientStore:
// who may find, read, record and erase patients, and the audit of each.
type PatientService struct {
	Store backdesk.PatientStore
	Care  CareRelation
	Audit backdesk.AuditWriter
	// Freed offers the times an erasure frees to the waitlist; nil: none.
	Freed FreedTimes
}

var _ backdesk.PatientService = (*PatientService)(nil)

var errNoPatient = backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")

// bookable checks that the desk may book (or add to the waitlist) under
// patient id's record: one that exists, was not erased and was not merged
// into another. An erased
// record keeps the clinical history, anonymised; nothing new is made
// under it (its appointments to come were cancelled at the erasure).
func bookable(ctx context.Context, patients backdesk.PatientStore, id int64) error {
	p, err := patients.FindPatientByID(ctx, id)
	switch {
	case backdesk.ErrorCode(err) == backdesk.CodeNotFound:
		return backdesk.FieldError("patient_id", "patient_id is not one of the clinic's patients")
	case err != nil:
		return err
	case p.ErasedAt != nil:
		return &backdesk.Error{Code: backdesk.CodeConflict, Err: backdesk.ErrRecordClosed,
			Message: "This patient's record was erased at their request; nothing can be booked under it."}
	case p.MergedInto != 0:
		// A record merged into another is a duplicate kept only for the
		// undo: what is booked belongs on the record kept.
		return &backdesk.Error{Code: backdesk.CodeConflict, Err: backdesk.ErrRecordClosed,
			Message: fmt.Sprintf("This record was merged into patient no. %d; book under that record.", p.MergedInto)}
	}
	return nil
}

// FindPatientByID returns the record if the actor may see it, and
// CodeNotFound otherwise (not revealing that it exists). Every read but a
// patient's of their own is audited.
func (s *PatientService) FindPatientByID(ctx context.Context, id int64) (*backdesk.Patient, error) {
	ok, err := mayReadPatient(ctx, s.Care, backdesk.ActorFromContext(ctx), id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoPatient
	}
	p, err := s.Store.FindPatientByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditPatientRead, id, "patient", strconv.FormatInt(id, 10)); err != nil {
		return nil, err
	}
	return p, nil
}

// FindPatients searches the clinic's patients: the front desk (and a
// read-only token) everyone's, a practitioner those they treat; with
// f.Visible, the patients the caller may see (patientScope: a patient their
// own record). The search is audited (who looked, not what for).
func (s *PatientService) FindPatients(ctx context.Context, f backdesk.PatientFilter) ([]*backdesk.Patient, int, error) {
	f.IDs = nil
	var a backdesk.Actor
	var err error
	if f.Visible {
		if a, err = signedIn(ctx); err != nil {
			return nil, 0, err
		}
		ids, all, err := patientScope(ctx, s.Care, a, 0)
		if err != nil {
			return nil, 0, err
		}
		if !all {
			if len(ids) == 0 {
				return []*backdesk.Patient{}, 0, nil
			}
			f.IDs = ids
		}
	} else if a, err = patientListScope(ctx, &f); err != nil {
		return nil, 0, err
	}
	list, total, err := s.Store.FindPatients(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditPatientList, 0, "patient", "")); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// CreatePatient records someone with no account; the front desk only.
func (s *PatientService) CreatePatient(ctx context.Context, p *backdesk.Patient) error {
	a, err := attempt(ctx, backdesk.OpRecordPatient)
	if err != nil {
		return err
	}
	return s.Store.InsertPatient(ctx, p, backdesk.NewAuditEntry(a, backdesk.AuditPatientCreate, 0, "patient", ""))
}

// ErasePatient erases a patient's personal details at their request;
// admins only.
func (s *PatientService) ErasePatient(ctx context.Context, id int64) error {
	a, err := attempt(ctx, backdesk.OpErasePatient)
	if err != nil {
		return err
	}
	cancelled, err := s.Store.ErasePatient(ctx, id, backdesk.NewAuditEntry(a, backdesk.AuditPersonalErase, id, "patient", strconv.FormatInt(id, 10)))
	if err != nil {
		return err
	}
	if s.Freed != nil {
		s.Freed.Released(ctx, cancelled)
	}
	return nil
}

// UpdatePatient changes a patient's details: the patient their own, the
// front desk anyone's. The audit line names the record; the old values are
// kept in the record's history, written in the same transaction.
func (s *PatientService) UpdatePatient(ctx context.Context, id int64, upd backdesk.PatientUpdate) (*backdesk.Patient, error) {
	a, err := mayChangePatient(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.Store.UpdatePatient(ctx, id, upd, backdesk.NewAuditEntry(a, backdesk.AuditPatientUpdate, id, "patient", strconv.FormatInt(id, 10)))
}

// FindPatientChanges is the history of a record's details, for whoever may
// read the record (the read is audited as a read of it).
func (s *PatientService) FindPatientChanges(ctx context.Context, id int64) ([]*backdesk.PatientChange, error) {
	ok, err := mayReadPatient(ctx, s.Care, backdesk.ActorFromContext(ctx), id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoPatient
	}
	list, err := s.Store.FindPatientChanges(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditPatientRead, id, "patient_changes", strconv.FormatInt(id, 10)); err != nil {
		return nil, err
	}
	return list, nil
}

// FindLookAlikes lists the records that may be the same person as p for
// the front desk, which records and merges patients (anyone else signed
// in is shown none). Audited as a search.
func (s *PatientService) FindLookAlikes(ctx context.Context, p *backdesk.Patient) ([]*backdesk.LookAlike, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !may(a, backdesk.PermFrontDesk) {
		return []*backdesk.LookAlike{}, nil
	}
	candidates, _, err := s.Store.FindPatients(ctx, backdesk.PatientFilter{LookAlike: p, Page: backdesk.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditPatientList, 0, "patient", "")); err != nil {
		return nil, err
	}
	return backdesk.FindLookAlikes(p, candidates), nil
}

// MergePatients merges a duplicate record into the one kept; the front
// desk only. The audit line names the merge, whose record says what moved.
func (s *PatientService) MergePatients(ctx context.Context, keepID, duplicateID int64) (*backdesk.PatientMerge, error) {
	a, err := require(ctx, backdesk.PermFrontDesk)
	if err != nil {
		return nil, err
	}
	return s.Store.MergePatients(ctx, keepID, duplicateID, backdesk.NewAuditEntry(a, backdesk.AuditPatientMerge, keepID, "patient_merge", ""))
}

// UndoPatientMerge undoes a merge; the front desk only.
func (s *PatientService) UndoPatientMerge(ctx context.Context, id int64) (*backdesk.PatientMerge, error) {
	a, err := require(ctx, backdesk.PermFrontDesk)
	if err != nil {
		return nil, err
	}
	return s.Store.UndoPatientMerge(ctx, id, backdesk.NewAuditEntry(a, backdesk.AuditPatientUnmerge, 0, "patient_merge", strconv.FormatInt(id, 10)))
}

// FindPatientMerges lists a record's merges, part of its history, for
// whoever may read the record (CodeNotFound for anyone else).
func (s *PatientService) FindPatientMerges(ctx context.Context, patientID int64) ([]*backdesk.PatientMerge, error) {
	ok, err := mayReadPatient(ctx, s.Care, backdesk.ActorFromContext(ctx), patientID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoPatient
	}
	return s.Store.FindPatientMerges(ctx, patientID)
}
