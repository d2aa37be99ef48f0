package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"backdesk"
)

// InsertEmailVerification stores the hash of a token that confirms an
// account's email address and the email that carries its link, in one
// transaction.
func (db *DB) InsertEmailVerification(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time, msg *backdesk.OutboxMessage) error {
	now := db.now()
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		msg.CreatedAt = now
		if err := db.insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at, outbox_id) VALUES ($1, $2, $3, $4, $5)`,
			tokenHash, userID, formatTime(now), formatTime(expiresAt), msg.ID); err != nil {
			return fmt.Errorf("insert email verification: %w", err)
		}
		return nil
	})
}

var errVerifyLink = backdesk.FieldError("token", "This confirmation link has expired or has already been used. Sign in and ask for a new one from your account page.")

// verifiedLinkBody replaces the body of every confirmation email of an
// account once its address is confirmed.
const verifiedLinkBody = "[This email held a link to confirm the account's email address. The address is confirmed, and the link has been removed.]"

// VerifyEmail uses a confirmation token once: the token's row is read
// locked and removed with every other link of the account, so two uses at
// once cannot both succeed.
func (db *DB) VerifyEmail(ctx context.Context, tokenHash string, now time.Time, audit *backdesk.AuditEntry) (int64, error) {
	defer db.endedSessions() // the account's sessions now carry a confirmed address
	var userID int64
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM email_verifications WHERE token_hash = $1 AND expires_at > $2`+db.d.forUpdate,
			tokenHash, formatTime(now)).Scan(&userID)
		if err == sql.ErrNoRows {
			return 0, errVerifyLink
		} else if err != nil {
			return 0, fmt.Errorf("use email verification: %w", err)
		}
		var patientID sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT patient_id FROM users WHERE id = $1`, userID).Scan(&patientID); err != nil {
			return 0, fmt.Errorf("find verified user: %w", err)
		}
		if err := confirmEmailTx(ctx, tx, userID, now); err != nil {
			return 0, err
		}
		if audit != nil {
			// Whoever holds the link acts as the account's owner.
			audit.ActorUserID, audit.PatientID = userID, patientID.Int64
		}
		return userID, nil
	}, audit)
	return userID, err
}

// confirmEmailTx marks userID's address confirmed (if it is not yet) and
// ends every confirmation link of it, their emails losing the link (one
// not yet sent is dropped).
func confirmEmailTx(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL`, formatTime(now), userID); err != nil {
		return fmt.Errorf("confirm email: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET body = $1, status = CASE WHEN status = 'pending' THEN 'dropped' ELSE status END
		WHERE id IN (SELECT outbox_id FROM email_verifications WHERE user_id = $2 AND outbox_id IS NOT NULL)`, verifiedLinkBody, userID); err != nil {
		return fmt.Errorf("scrub confirmation emails: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM email_verifications WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("end confirmation links: %w", err)
	}
	return nil
}

// InsertAccountEmail stores an email about an account that holds no link.
func (db *DB) InsertAccountEmail(ctx context.Context, msg *backdesk.OutboxMessage) error {
	now := db.now()
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		msg.CreatedAt = now
		return db.insertOutbox(ctx, tx, msg)
	})
}
