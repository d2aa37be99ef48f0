package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

const noteColumns = `id, booking_id, patient_id, practitioner_id, COALESCE(author_user_id, 0), version, COALESCE(amends, 0), amend_reason, status,
	subjective, objective, assessment, plan, created_at, updated_at, signed_at, COALESCE(signed_by, 0)`

func scanNote(sc scanner) (*backdesk.ClinicalNote, error) {
	n := &backdesk.ClinicalNote{Actions: []backdesk.NoteAction{}}
	var signed nullTime
	err := sc.Scan(&n.ID, &n.BookingID, &n.PatientID, &n.PractitionerID, &n.AuthorUserID, &n.Version, &n.Amends, &n.AmendReason, &n.Status,
		&n.Subjective, &n.Objective, &n.Assessment, &n.Plan, dbTime{&n.CreatedAt}, dbTime{&n.UpdatedAt}, &signed, &n.SignedBy)
	n.SignedAt = signed.ptr()
	return n, err
}

var (
	errNoNote     = backdesk.Errorf(backdesk.CodeNotFound, "Note not found.")
	errNoteSigned = backdesk.Errorf(backdesk.CodeConflict, "This note is signed and cannot be changed; amend it instead.")
)

// InsertNote stores the draft version 1 of an appointment's note.
func (db *DB) InsertNote(ctx context.Context, n *backdesk.ClinicalNote, audit *backdesk.AuditEntry) error {
	now := db.now()
	n.Version, n.Status, n.CreatedAt, n.UpdatedAt, n.Amends, n.SignedAt = 1, backdesk.NoteDraft, now, now, 0, nil
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO clinical_notes (booking_id, patient_id, practitioner_id, author_user_id, version, status,
			subjective, objective, assessment, plan, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, 'draft', $5, $6, $7, $8, $9, $9) RETURNING id`,
			n.BookingID, n.PatientID, n.PractitionerID, nullID(n.AuthorUserID), n.Subjective, n.Objective, n.Assessment, n.Plan, formatTime(now)).Scan(&n.ID)
		if err != nil {
			if db.d.constraint(err) == uniqueViolation {
				return 0, &backdesk.Error{Code: backdesk.CodeConflict, Message: "This appointment already has a note.", Err: err}
			}
			return 0, fmt.Errorf("insert note: %w", err)
		}
		return n.ID, nil
	}, audit)
}

// FindNoteByID returns CodeNotFound if there is no such note.
func (db *DB) FindNoteByID(ctx context.Context, id int64) (*backdesk.ClinicalNote, error) {
	n, err := scanNote(db.read.QueryRowContext(ctx, `SELECT `+noteColumns+` FROM clinical_notes WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, errNoNote
	} else if err != nil {
		return nil, fmt.Errorf("find note: %w", err)
	}
	return n, nil
}

// FindNotes lists matching note versions by appointment, then version.
func (db *DB) FindNotes(ctx context.Context, f backdesk.NoteFilter) ([]*backdesk.ClinicalNote, error) {
	var w where
	if f.BookingID != 0 {
		w.add(`booking_id = $%d`, f.BookingID)
	}
	if f.PatientID != 0 {
		w.add(`patient_id = $%d`, f.PatientID)
	}
	out := []*backdesk.ClinicalNote{}
	err := eachRow(ctx, db.read, `SELECT `+noteColumns+` FROM clinical_notes `+w.sql()+` ORDER BY booking_id, version`, w.args, func(sc scanner) error {
		n, err := scanNote(sc)
		out = append(out, n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find notes: %w", err)
	}
	return out, nil
}

// UpdateNote replaces a draft's text. The update names the draft status in
// its condition; the database's trigger would refuse a signed row anyway.
func (db *DB) UpdateNote(ctx context.Context, id int64, text backdesk.NoteText, audit *backdesk.AuditEntry) (*backdesk.ClinicalNote, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE clinical_notes SET subjective = $1, objective = $2, assessment = $3, plan = $4, updated_at = $5
			WHERE id = $6 AND status = 'draft'`, text.Subjective, text.Objective, text.Assessment, text.Plan, formatTime(db.now()), id)
		if err != nil {
			return 0, fmt.Errorf("update note: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, db.whyNotDraft(ctx, tx, id)
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindNoteByID(ctx, id)
}

// whyNotDraft explains an update of note id that changed nothing: it does
// not exist, or it is signed.
func (db *DB) whyNotDraft(ctx context.Context, tx *sql.Tx, id int64) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM clinical_notes WHERE id = $1`, id).Scan(&status)
	if err == sql.ErrNoRows {
		return errNoNote
	} else if err != nil {
		return fmt.Errorf("read note: %w", err)
	}
	return errNoteSigned
}

// SignNote signs a draft, and completes the referral the visit fulfils.
func (db *DB) SignNote(ctx context.Context, id, signedBy, completes int64, audit *backdesk.AuditEntry) (*backdesk.ClinicalNote, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		now := formatTime(db.now())
		res, err := tx.ExecContext(ctx, `UPDATE clinical_notes SET status = 'signed', signed_at = $1, signed_by = $2, updated_at = $1
			WHERE id = $3 AND status = 'draft'`, now, nullID(signedBy), id)
		if err != nil {
			return 0, fmt.Errorf("sign note: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if err := db.whyNotDraft(ctx, tx, id); err != errNoteSigned {
				return 0, err
			}
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This note is signed already.")
		}
		if completes != 0 {
			if err := db.transitionReferralTx(ctx, tx, completes, backdesk.ReferralTransition{Action: backdesk.ReferralComplete,
				Reason: "Its appointment's note was signed."}, audit); err != nil {
				return 0, err
			}
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindNoteByID(ctx, id)
}

// AmendNote adds the next version after the signed latest version id.
func (db *DB) AmendNote(ctx context.Context, id int64, a *backdesk.ClinicalNote, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		prev, err := scanNote(tx.QueryRowContext(ctx, `SELECT `+noteColumns+` FROM clinical_notes WHERE id = $1`+db.d.forUpdate, id))
		if err == sql.ErrNoRows {
			return 0, errNoNote
		} else if err != nil {
			return 0, fmt.Errorf("read note: %w", err)
		}
		if prev.Status != backdesk.NoteSigned {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "A draft is edited, not amended: only a signed note is amended.")
		}
		var later int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM clinical_notes WHERE booking_id = $1 AND version > $2`, prev.BookingID, prev.Version).Scan(&later); err != nil {
			return 0, fmt.Errorf("read note versions: %w", err)
		}
		if later > 0 {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This version has been amended already: amend the latest version.")
		}
		a.BookingID, a.PatientID, a.Version, a.Amends, a.Status = prev.BookingID, prev.PatientID, prev.Version+1, prev.ID, backdesk.NoteSigned
		a.CreatedAt, a.UpdatedAt, a.SignedAt, a.SignedBy = now, now, &now, a.AuthorUserID
		err = tx.QueryRowContext(ctx, `INSERT INTO clinical_notes (booking_id, patient_id, practitioner_id, author_user_id, version, amends, amend_reason,
			status, subjective, objective, assessment, plan, created_at, updated_at, signed_at, signed_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'signed', $8, $9, $10, $11, $12, $12, $12, $4) RETURNING id`,
			a.BookingID, a.PatientID, a.PractitionerID, nullID(a.AuthorUserID), a.Version, a.Amends, a.AmendReason,
			a.Subjective, a.Objective, a.Assessment, a.Plan, formatTime(now)).Scan(&a.ID)
		if err != nil {
			if db.d.constraint(err) == uniqueViolation {
				return 0, &backdesk.Error{Code: backdesk.CodeConflict, Message: "Someone amended this note at the same moment: look at the latest version.", Err: err}
			}
			return 0, fmt.Errorf("insert amendment: %w", err)
		}
		return a.ID, nil
	}, audit)
}
