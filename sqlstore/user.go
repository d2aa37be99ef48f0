package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"backdesk"
)

const userColumns = `id, email, name, role, COALESCE(patient_id, 0), COALESCE(practitioner_id, 0), created_at, email_verified_at IS NOT NULL`

func scanUser(sc scanner, extra ...any) (*backdesk.User, error) {
	u := &backdesk.User{}
	err := sc.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PatientID, &u.PractitionerID, dbTime{&u.CreatedAt}, &u.EmailVerified}, extra...)...)
	return u, err
}

// InsertUser stores u (and a patient record for a patient). The email is
// stored lower-cased, so uniqueness ignores case.
func (db *DB) InsertUser(ctx context.Context, u *backdesk.User, passwordHash string, audit *backdesk.AuditEntry) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.CreatedAt = db.now()
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var patientID, practitionerID any
		if u.Role.HasPatientRecord() {
			if err := tx.QueryRowContext(ctx, `INSERT INTO patients (name, email, created_at, search_name) VALUES ($1, $2, $3, $4) RETURNING id`,
				u.Name, u.Email, formatTime(u.CreatedAt), backdesk.FoldText(u.Name)).Scan(&u.PatientID); err != nil {
				return 0, fmt.Errorf("insert patient: %w", err)
			}
			patientID = u.PatientID
		}
		if u.PractitionerID != 0 {
			practitionerID = u.PractitionerID
		}
		var verified any
		if u.EmailVerified {
			verified = formatTime(u.CreatedAt)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, patient_id, practitioner_id, created_at, email_verified_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Email, u.Name, string(u.Role), passwordHash, patientID, practitionerID, formatTime(u.CreatedAt), verified).Scan(&u.ID)
		if err != nil {
			return 0, fmt.Errorf("insert user: %w", err)
		}
		if audit != nil {
			audit.PatientID = u.PatientID
		}
		return u.ID, nil
	}, audit)
	if backdesk.ErrorCode(err) == backdesk.CodeConflict {
		return &backdesk.Error{Code: backdesk.CodeConflict, Message: "An account with that email already exists.", Field: "email", Err: err}
	}
	return err
}

// FindUserByID returns CodeNotFound if there is no such user.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*backdesk.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "User not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUserByEmail returns the user with that email (any case) and the
// stored password hash.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*backdesk.User, string, error) {
	var hash string
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &hash)
	if err == sql.ErrNoRows {
		return nil, "", backdesk.Errorf(backdesk.CodeNotFound, "User not found.")
	} else if err != nil {
		return nil, "", fmt.Errorf("find user: %w", err)
	}
	return u, hash, nil
}

// InsertSession stores a session under the hash of its token.
func (db *DB) InsertSession(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			tokenHash, userID, formatTime(db.now()), formatTime(expiresAt))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return nil
	})
}

// FindSessionUser returns the user of a session alive at now.
func (db *DB) FindSessionUser(ctx context.Context, tokenHash string, now time.Time) (*backdesk.User, error) {
	u, err := scanUser(db.hotRead().QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, COALESCE(u.patient_id, 0), COALESCE(u.practitioner_id, 0), u.created_at,
		u.email_verified_at IS NOT NULL FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2`, tokenHash, formatTime(now)))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Session not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return u, nil
}

// DeleteSession removes a session; an unknown one is not an error.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	defer db.endedSessions()
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return err
	})
}
