package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"backdesk"
)

// ExportPersonalData gathers everything held about a user: the account, the
// patient record, assessments, referrals with their history, every version
// of their clinical notes, sessions (without tokens), the audit trail of
// their records and actions, and the emails sent to them.
func (db *DB) ExportPersonalData(ctx context.Context, userID int64) (*backdesk.PersonalData, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	pd := &backdesk.PersonalData{ExportedAt: db.now(), User: u, Assessments: []*backdesk.Assessment{},
		Referrals: []*backdesk.Referral{}, Notes: []*backdesk.ClinicalNote{},
		Sessions: []backdesk.SessionInfo{}, Messages: []backdesk.OutboxMessage{}}
	if u.PatientID != 0 {
		if pd.Patient, err = db.FindPatientByID(ctx, u.PatientID); err != nil {
			return nil, err
		}
		if pd.Assessments, err = db.FindAssessmentsByPatient(ctx, u.PatientID); err != nil {
			return nil, err
		}
		refs, _, err := db.FindReferrals(ctx, backdesk.ReferralFilter{PatientID: u.PatientID, NewestFirst: true, Page: backdesk.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		for _, r := range refs { // with the history of each
			full, err := db.FindReferralByID(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			pd.Referrals = append(pd.Referrals, full)
		}
		if pd.Notes, err = db.FindNotes(ctx, backdesk.NoteFilter{PatientID: u.PatientID}); err != nil {
			return nil, err
		}
		if err := db.exportHomeProgramme(ctx, pd, u.PatientID); err != nil {
			return nil, err
		}
	}
	err = eachRow(ctx, db.read, `SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at`, []any{userID},
		func(sc scanner) error {
			var s backdesk.SessionInfo
			err := sc.Scan(dbTime{&s.CreatedAt}, dbTime{&s.ExpiresAt})
			pd.Sessions = append(pd.Sessions, s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("export sessions: %w", err)
	}
	var audit []*backdesk.AuditEntry
	if u.PatientID != 0 {
		audit, _, err = db.findAudit(ctx, backdesk.AuditFilter{PatientID: u.PatientID, Page: backdesk.Page{Limit: 1000}})
	} else {
		audit, _, err = db.findAudit(ctx, backdesk.AuditFilter{ActorUserID: userID, Page: backdesk.Page{Limit: 1000}})
	}
	if err != nil {
		return nil, err
	}
	pd.AuditTrail = audit
	msgs, _, err := db.findOutbox(ctx, `WHERE to_addr = $1`, []any{u.Email}, backdesk.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		pd.Messages = append(pd.Messages, *m)
	}
	return pd, nil
}

// ErasedName replaces the name of an erased patient.
const ErasedName = "Erased patient"

// EraseUser removes the account, its sessions, reset tokens, sign-in
// failures and emails, and blanks the personal fields of the patient
// record, in one transaction. Clinical records (assessments, referrals,
// notes) stay, linked only to the anonymised record. The audit log is not touched: it holds ids,
// not personal details, and is append-only.
func (db *DB) EraseUser(ctx context.Context, userID int64, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var email string
		var patientID sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT email, patient_id FROM users WHERE id = $1`, userID).Scan(&email, &patientID)
		if err == sql.ErrNoRows {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Account not found.")
		} else if err != nil {
			return 0, fmt.Errorf("erase: find user: %w", err)
		}
		if err := eraseAccountTx(ctx, tx, userID, email); err != nil {
			return 0, err
		}
		if patientID.Valid {
			return 0, erasePatientTx(ctx, tx, patientID.Int64, now)
		}
		return 0, nil
	}, audit)
}

// ErasePatient erases a patient's personal details at their request, with
// their account if they have one (for patients reception recorded, who
// have no account to erase themselves). As with EraseUser, clinical records
// stay, anonymised. CodeConflict if already erased.
func (db *DB) ErasePatient(ctx context.Context, patientID int64, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var erased nullTime
		err := tx.QueryRowContext(ctx, `SELECT erased_at FROM patients WHERE id = $1`+db.d.forUpdate, patientID).Scan(&erased)
		if err == sql.ErrNoRows {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
		} else if err != nil {
			return 0, fmt.Errorf("erase: find patient: %w", err)
		}
		if erased.valid {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This record is already erased.")
		}
		var userID int64
		var email string
		err = tx.QueryRowContext(ctx, `SELECT id, email FROM users WHERE patient_id = $1`, patientID).Scan(&userID, &email)
		if err == nil {
			if err := eraseAccountTx(ctx, tx, userID, email); err != nil {
				return 0, err
			}
		} else if err != sql.ErrNoRows {
			return 0, fmt.Errorf("erase: find account: %w", err)
		}
		return 0, erasePatientTx(ctx, tx, patientID, now)
	}, audit)
}

// eraseAccountTx removes an account with everything that names it.
func eraseAccountTx(ctx context.Context, tx *sql.Tx, userID int64, email string) error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
		{`DELETE FROM password_resets WHERE user_id = $1`, []any{userID}},
		{`DELETE FROM outbox WHERE to_addr = $1`, []any{email}},
		{`DELETE FROM login_failures WHERE key = $1`, []any{backdesk.AccountLoginKey(email)}},
		{`DELETE FROM users WHERE id = $1`, []any{userID}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("erase: %w", err)
		}
	}
	return nil
}

// erasePatientTx blanks a patient record's personal fields and drops the
// emails still addressed to it, with the settings and records of the
// emails of their plan (eraseHomeProgrammeTx).
func erasePatientTx(ctx context.Context, tx *sql.Tx, patientID int64, now time.Time) error {
	if err := eraseHomeProgrammeTx(ctx, tx, patientID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE to_addr <> '' AND to_addr = (SELECT email FROM patients WHERE id = $1)`, patientID); err != nil {
		return fmt.Errorf("erase patient mail: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE patients SET name = $1, email = '', phone = '', date_of_birth = '', erased_at = $2 WHERE id = $3`,
		ErasedName, formatTime(now), patientID); err != nil {
		return fmt.Errorf("erase patient: %w", err)
	}
	return nil
}
