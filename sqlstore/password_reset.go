package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"backdesk"
)

// InsertPasswordReset stores the hash of a reset token and the email that
// carries it, in one transaction.
func (db *DB) InsertPasswordReset(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *backdesk.OutboxMessage) error {
	now := db.now()
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		msg.CreatedAt = now
		if err := db.insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, outbox_id) VALUES ($1, $2, $3, $4, $5)`,
			tokenHash, userID, formatTime(now), formatTime(expiresAt), msg.ID); err != nil {
			return fmt.Errorf("insert password reset: %w", err)
		}
		return nil
	})
}

// usedLinkBody replaces a reset email's body once its link is used;
// endedLinkBody the body of every other reset email of the account, whose
// links end with the change of password.
const (
	usedLinkBody  = "[This password-reset email held a single-use link. It was used, and the link has been removed.]"
	endedLinkBody = "[This password-reset email held a link that ended when the account's password was changed; the link has been removed.]"
)

var errResetLink = backdesk.FieldError("token", "This reset link has expired or has already been used. Ask for a new one.")

// ResetPassword uses the token once: the UPDATE that marks it used is also
// the check, so two concurrent uses cannot both succeed. Every other reset
// link of the account ends with it (the password they would replace is
// gone), and their emails lose their links (one not yet sent is dropped).
func (db *DB) ResetPassword(ctx context.Context, tokenHash, passwordHash string, now time.Time, audit *backdesk.AuditEntry) (int64, error) {
	var userID int64
	defer db.endedSessions()
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var outboxID, patientID sql.NullInt64
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id, outbox_id`,
			formatTime(now), tokenHash).Scan(&userID, &outboxID)
		if err == sql.ErrNoRows {
			return 0, errResetLink
		} else if err != nil {
			return 0, fmt.Errorf("use password reset: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING patient_id`, passwordHash, userID).Scan(&patientID); err != nil {
			return 0, fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return 0, fmt.Errorf("end sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET body = $1, status = CASE WHEN status = 'pending' THEN 'dropped' ELSE status END
			WHERE id IN (SELECT outbox_id FROM password_resets WHERE user_id = $2 AND used_at IS NULL AND outbox_id IS NOT NULL)`, endedLinkBody, userID); err != nil {
			return 0, fmt.Errorf("scrub other reset emails: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, formatTime(now), userID); err != nil {
			return 0, fmt.Errorf("end other reset links: %w", err)
		}
		// The link reached the account's address: that confirms it.
		if err := confirmEmailTx(ctx, tx, userID, now); err != nil {
			return 0, err
		}
		// The link has done its work: do not keep it.
		if outboxID.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET body = $1 WHERE id = $2`, usedLinkBody, outboxID.Int64); err != nil {
				return 0, fmt.Errorf("scrub reset email: %w", err)
			}
		}
		if audit != nil {
			// Whoever holds the link acts as the account's owner.
			audit.ActorUserID, audit.PatientID = userID, patientID.Int64
		}
		return userID, nil
	}, audit)
	return userID, err
}
