package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"backdesk"
)

// mergedTables are the tables whose rows belong to a patient and follow
// them into the record kept when a duplicate is merged: the table and the
// column that keys its rows. The audit log stays as written (append-only);
// the record's own history, reminder settings and sent reminders stay
// with the duplicate, which is kept. Every key is an integer column (the
// undo finds each row through its index).
var mergedTables = []struct{ table, key string }{
	{"assessments", "id"},
	{"bookings", "id"},
	{"intakes", "id"},
	{"referrals", "id"},
	{"clinical_notes", "id"},
	{"care_plans", "id"},
	{"exercise_logs", "id"},
	{"outcomes", "id"},
	{"outcome_requests", "booking_id"},
	{"waitlist_entries", "id"},
	{"waitlist_offers", "id"},
	{"contact_messages", "id"},
	// Emails to the patient (outboxStmt names them): the ones still
	// waiting go, after the move, to the address of the record they now
	// belong to (readdressPatientMailTx).
	{"outbox", "id"},
}

// MergePatients moves every row of duplicateID's to keepID and marks the
// duplicate merged, recording what moved, in one transaction with the
// audit line.
func (db *DB) MergePatients(ctx context.Context, keepID, duplicateID int64, audit *backdesk.AuditEntry) (*backdesk.PatientMerge, error) {
	if keepID == duplicateID {
		return nil, backdesk.FieldError("duplicate_id", "A record cannot be merged into itself.")
	}
	m := &backdesk.PatientMerge{KeptID: keepID, MergedID: duplicateID, Moved: map[string][]string{}}
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		// Both records are locked in the order of their ids: two merges of
		// the same two records, each the other way, would otherwise each
		// hold one and wait for the other (a deadlock on PostgreSQL).
		for _, id := range []int64{min(keepID, duplicateID), max(keepID, duplicateID)} {
			p, err := scanPatient(tx.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = $1`+db.d.forUpdate, id))
			switch {
			case err == sql.ErrNoRows:
				return 0, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
			case err != nil:
				return 0, fmt.Errorf("merge patients: %w", err)
			case p.ErasedAt != nil:
				return 0, backdesk.Errorf(backdesk.CodeConflict, "Patient no. %d is erased: an erased record is not merged.", id)
			case p.MergedInto != 0:
				return 0, backdesk.Errorf(backdesk.CodeConflict, "Patient no. %d is already merged into no. %d.", id, p.MergedInto)
			}
		}
		var accounts int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE patient_id = $1`, duplicateID).Scan(&accounts); err != nil {
			return 0, fmt.Errorf("merge patients: %w", err)
		}
		if accounts > 0 {
			return 0, backdesk.Errorf(backdesk.CodeConflict,
				"Patient no. %d signs in with an account: merge the other way, keeping that record and merging no. %d into it.", duplicateID, keepID)
		}
		var plans int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM care_plans WHERE patient_id IN ($1, $2)`, keepID, duplicateID).Scan(&plans); err != nil {
			return 0, fmt.Errorf("merge patients: %w", err)
		}
		if plans > 1 {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "Both records have a treatment plan, and a patient has one: their practitioner first folds one plan into the other.")
		}
		for _, t := range mergedTables {
			var keys []string
			err := eachRow(ctx, tx, `SELECT CAST(`+t.key+` AS TEXT) FROM `+t.table+` WHERE patient_id = $1 ORDER BY `+t.key, []any{duplicateID}, func(sc scanner) error {
				var k string
				keys = append(keys, k)
				return sc.Scan(&keys[len(keys)-1])
			})
			if err != nil {
				return 0, fmt.Errorf("merge patients: %s: %w", t.table, err)
			}
			if len(keys) == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET patient_id = $1 WHERE patient_id = $2`, keepID, duplicateID); err != nil {
				if db.d.constraint(err) == uniqueViolation {
					return 0, &backdesk.Error{Code: backdesk.CodeConflict, Err: err,
						Message: "Both records are waiting on the waitlist for the same thing: remove one of the two requests first."}
				}
				return 0, fmt.Errorf("merge patients: %s: %w", t.table, err)
			}
			m.Moved[t.table] = keys
		}
		if _, err := tx.ExecContext(ctx, `UPDATE patients SET merged_into = $1 WHERE id = $2`, keepID, duplicateID); err != nil {
			return 0, fmt.Errorf("merge patients: %w", err)
		}
		if err := readdressPatientMailTx(ctx, tx, keepID); err != nil {
			return 0, err
		}
		moved, err := json.Marshal(m.Moved)
		if err != nil {
			return 0, err
		}
		m.At = db.now()
		if audit != nil {
			m.ByUserID = audit.ActorUserID
			audit.PatientID = keepID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO patient_merges (kept_id, merged_id, moved, by_user_id, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			keepID, duplicateID, string(moved), nullID(m.ByUserID), formatTime(m.At)).Scan(&m.ID); err != nil {
			return 0, fmt.Errorf("merge patients: %w", err)
		}
		if audit != nil {
			audit.ResourceID = strconv.FormatInt(m.ID, 10)
		}
		return m.ID, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UndoPatientMerge moves back the rows merge id moved that still belong to
// the record kept, and makes the duplicate a record of its own again.
func (db *DB) UndoPatientMerge(ctx context.Context, id int64, audit *backdesk.AuditEntry) (*backdesk.PatientMerge, error) {
	var m *backdesk.PatientMerge
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		if m, err = scanMerge(tx.QueryRowContext(ctx, `SELECT `+mergeColumns+` FROM patient_merges WHERE id = $1`+db.d.forUpdate, id)); err == sql.ErrNoRows {
			return 0, errNoMerge
		} else if err != nil {
			return 0, fmt.Errorf("undo merge: %w", err)
		}
		if m.UndoneAt != nil {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This merge is already undone.")
		}
		// An erased record takes nothing back, nor gives anything: the
		// undo would hand the living record's appointments and notes to
		// an erased one, or the erasure's blanks to the other.
		for _, pid := range []int64{min(m.KeptID, m.MergedID), max(m.KeptID, m.MergedID)} {
			p, err := scanPatient(tx.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = $1`+db.d.forUpdate, pid))
			if err != nil {
				return 0, fmt.Errorf("undo merge: %w", err)
			}
			if p.ErasedAt != nil {
				return 0, backdesk.Errorf(backdesk.CodeConflict, "Patient no. %d has been erased since the merge: the merge is not undone.", pid)
			}
		}
		for _, t := range mergedTables {
			for _, k := range m.Moved[t.table] {
				if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET patient_id = $1 WHERE `+t.key+` = CAST($2 AS BIGINT) AND patient_id = $3`,
					m.MergedID, k, m.KeptID); err != nil {
					if db.d.constraint(err) == uniqueViolation {
						return 0, &backdesk.Error{Code: backdesk.CodeConflict, Err: err,
							Message: "The record kept has since been given something only one record may hold (a treatment plan, a waiting request): undo that first."}
					}
					return 0, fmt.Errorf("undo merge: %s: %w", t.table, err)
				}
			}
		}
		// The emails of the appointments given back go with them, also
		// those stored since the merge (a "needs moving", a questionnaire),
		// which named the record kept, and those of a merge made before
		// the outbox named patients (migration 0024 named the record the
		// booking was on then): else the duplicate's reminder would go to
		// the kept record's address, and follow its changes.
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET patient_id = $1 WHERE patient_id = $2
			AND booking_id IN (SELECT id FROM bookings WHERE patient_id = $1)`, m.MergedID, m.KeptID); err != nil {
			return 0, fmt.Errorf("undo merge: outbox: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE patients SET merged_into = NULL WHERE id = $1`, m.MergedID); err != nil {
			return 0, fmt.Errorf("undo merge: %w", err)
		}
		if err := readdressPatientMailTx(ctx, tx, m.MergedID); err != nil {
			return 0, err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE patient_merges SET undone_at = $1 WHERE id = $2`, formatTime(now), id); err != nil {
			return 0, fmt.Errorf("undo merge: %w", err)
		}
		m.UndoneAt = &now
		if audit != nil {
			audit.PatientID = m.MergedID
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return m, nil
}

var errNoMerge = backdesk.Errorf(backdesk.CodeNotFound, "Merge not found.")

const mergeColumns = `id, kept_id, merged_id, moved, COALESCE(by_user_id, 0), at, undone_at`

func scanMerge(sc scanner) (*backdesk.PatientMerge, error) {
	m := &backdesk.PatientMerge{}
	var moved string
	var undone nullTime
	if err := sc.Scan(&m.ID, &m.KeptID, &m.MergedID, &moved, &m.ByUserID, dbTime{&m.At}, &undone); err != nil {
		return nil, err
	}
	m.UndoneAt = undone.ptr()
	if err := json.Unmarshal([]byte(moved), &m.Moved); err != nil {
		return nil, fmt.Errorf("merge %d: %w", m.ID, err)
	}
	return m, nil
}

// FindPatientMergeByID returns CodeNotFound if there is no such merge.
func (db *DB) FindPatientMergeByID(ctx context.Context, id int64) (*backdesk.PatientMerge, error) {
	m, err := scanMerge(db.read.QueryRowContext(ctx, `SELECT `+mergeColumns+` FROM patient_merges WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, errNoMerge
	} else if err != nil {
		return nil, fmt.Errorf("find merge: %w", err)
	}
	return m, nil
}

// FindPatientMerges lists the merges into or of a record, newest first.
func (db *DB) FindPatientMerges(ctx context.Context, patientID int64) ([]*backdesk.PatientMerge, error) {
	out := []*backdesk.PatientMerge{}
	err := eachRow(ctx, db.read, `SELECT `+mergeColumns+` FROM patient_merges WHERE kept_id = $1 OR merged_id = $1 ORDER BY at DESC, id DESC`,
		[]any{patientID}, func(sc scanner) error {
			m, err := scanMerge(sc)
			if err == nil {
				out = append(out, m)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find merges: %w", err)
	}
	return out, nil
}
