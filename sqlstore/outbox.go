package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// insertOutbox stores one message (m.ID stays 0 when a message to a
// patient is left out: see outboxStmt).
func (db *DB) insertOutbox(ctx context.Context, tx *sql.Tx, m *backdesk.OutboxMessage) error {
	if m.SendAfter.IsZero() {
		m.SendAfter = m.CreatedAt
	}
	m.Status = backdesk.OutboxPending
	st := db.outboxStmt([]*backdesk.OutboxMessage{m}, "", true)
	err := tx.QueryRowContext(ctx, st.sql+` RETURNING id`, st.args...).Scan(&m.ID)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("insert outbox message: %w", err)
	}
	return nil
}

// patientTakesEmail is the condition, on the patients row p, under which
// a message addressed to the patient (OutboxMessage.ToPatient) is stored:
// they have an address, have not answered no to "May we email you about
// your care?", and have not been erased.
const patientTakesEmail = `p.email <> '' AND p.consent_email IS NOT FALSE AND p.erased_at IS NULL`

// outboxStmt is the one statement that stores msgs, pending: each message
// is a SELECT of its own, joined by UNION ALL. A message to a patient
// takes the address and the name from the patients row in the statement
// itself, and is left out when patientTakesEmail does not hold; so it is
// addressed as the patient's record stands when it is stored, in the same
// transaction. booking, when not empty, is the SQL of the booking every
// message belongs to (newRow in a chain); otherwise each message's own
// BookingID is stored. The casts are there because PostgreSQL gives the
// parameters of a UNION's select lists no type of their own.
//
// lock, on PostgreSQL, reads each patient's row under a share lock: a
// change of the record under way (an erasure, which locks the row, then
// removes the patient's emails and blanks it) is waited for, and the
// message addressed from the record it leaves, so that it is not stored
// from the version before, after the erasure has removed what it found. A
// booking's chain needs no lock: its booking, written first, holds the
// patient's row already (the foreign key), or the booking's own row is
// one the erasure waits for.
func (db *DB) outboxStmt(msgs []*backdesk.OutboxMessage, booking string, lock bool) stmt {
	rows := make([]string, len(msgs))
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	for i, m := range msgs {
		bookingID := booking
		if bookingID == "" {
			bookingID = arg(nullID(m.BookingID))
		}
		bookingID = "CAST(" + bookingID + " AS BIGINT)"
		rest := arg(m.Subject) + ", "
		to, from, patientID := "", "", "CAST(NULL AS BIGINT)"
		if m.ToPatient != 0 {
			to, patientID = "p.email", "p.id"
			rest += arg(m.Greeting) + " || p.name || " + arg(m.Body)
			id := arg(m.ToPatient)
			patient := "patients p WHERE p.id = " + id + " AND "
			if lock && db.d.name == "postgres" {
				// FOR SHARE is not allowed in a branch of a UNION itself.
				patient = "(SELECT id, email, name, consent_email, erased_at FROM patients WHERE id = " + id + " FOR SHARE) p WHERE "
			}
			from = " FROM " + patient + patientTakesEmail
		} else {
			to = arg(m.To)
			rest += arg(m.Body)
		}
		rows[i] = "SELECT " + arg(m.Kind) + ", " + to + ", " + rest + ", CAST(" + arg(m.Sensitive) + " AS BOOLEAN), " +
			arg(formatTime(m.CreatedAt)) + db.d.instant + ", " + bookingID + ", 'pending', " + arg(formatTime(m.SendAfter)) + db.d.instant + ", " + patientID + from
	}
	return stmt{`INSERT INTO outbox (kind, to_addr, subject, body, sensitive, created_at, booking_id, status, send_after, patient_id) ` + strings.Join(rows, " UNION ALL "), args}
}

// readdressPatientMailTx brings the emails still waiting for a patient
// (those addressed by OutboxMessage.ToPatient: a booking's reminder, a
// questionnaire, an offer not yet sent) in line with the patient's record
// as it stands in tx, the transaction that changed it: they go to the
// record's address, or are dropped when patientTakesEmail no longer holds
// (the patient answered no to email, or their address was removed). So a
// reminder stored at booking is not sent to an address the clinic has
// since been told is wrong, nor to someone who has since said not to
// email them.
func readdressPatientMailTx(ctx context.Context, tx *sql.Tx, patientID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped' WHERE status = 'pending' AND patient_id = $1
		AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.id = $1 AND `+patientTakesEmail+`)`, patientID); err != nil {
		return fmt.Errorf("drop the patient's waiting emails: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET to_addr = (SELECT email FROM patients WHERE id = $1)
		WHERE status = 'pending' AND patient_id = $1`, patientID); err != nil {
		return fmt.Errorf("readdress the patient's waiting emails: %w", err)
	}
	return nil
}

// withheld replaces the body of a sensitive message shown to anyone but its
// recipient's mailbox.
const withheld = "[withheld: this message holds a private link for its recipient only]"

// FindOutboxMessages lists messages newest first. Bodies of sensitive
// messages are withheld.
func (db *DB) FindOutboxMessages(ctx context.Context, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	return db.findOutbox(ctx, `WHERE 1 = 1`, nil, p)
}

func (db *DB) findOutbox(ctx context.Context, where string, args []any, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	out := []*backdesk.OutboxMessage{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+outboxColumns+`, COUNT(*) OVER ()
		FROM outbox `+where+` ORDER BY id DESC `+limitOffset(p, 100, 1000), args,
		func(sc scanner) error {
			m, sent, err := scanOutbox(scanWithTotal{sc, &total})
			if err != nil {
				return err
			}
			m.SentAt = sent.ptr()
			if m.Sensitive {
				m.Body = withheld
			}
			out = append(out, m)
			return nil
		})
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), p, `outbox `+where, args, &total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find outbox: %w", err)
	}
	return out, total, nil
}

const outboxColumns = `id, kind, to_addr, subject, body, sensitive, created_at, sent_at, COALESCE(booking_id, 0), status,
	COALESCE(send_after, created_at), attempts, last_error`

func scanOutbox(sc scanner) (*backdesk.OutboxMessage, nullTime, error) {
	m := &backdesk.OutboxMessage{}
	var sent nullTime
	err := sc.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Body, &m.Sensitive, dbTime{&m.CreatedAt}, &sent, &m.BookingID, &m.Status,
		dbTime{&m.SendAfter}, &m.Attempts, &m.LastError)
	return m, sent, err
}

// ClaimOutbox leases up to limit due, pending messages to claimID. On
// PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so
// concurrent workers take different messages; on SQLite the single writer
// serialises claims.
func (db *DB) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*backdesk.OutboxMessage, error) {
	lock := ""
	if db.d.name == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []*backdesk.OutboxMessage
	err := db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out = nil
		n := formatTime(now)
		// A reminder is never sent for an appointment cancelled or already
		// started (one left pending while the mail server was down).
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped' WHERE status = 'pending' AND kind = 'booking_reminder'
			AND send_after <= $1 AND booking_id IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM bookings b WHERE b.id = outbox.booking_id AND b.status = 'booked' AND b.starts_at > $1)`, n); err != nil {
			return fmt.Errorf("claim outbox: drop stale reminders: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET claimed_until = $1, claim_id = $2 WHERE id IN (
			SELECT id FROM outbox WHERE status = 'pending' AND send_after <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
			ORDER BY send_after, id LIMIT $4`+lock+`) RETURNING `+outboxColumns, formatTime(now.Add(lease)), claimID, n, limit)
		if err != nil {
			return fmt.Errorf("claim outbox: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, sent, err := scanOutbox(rows)
			if err != nil {
				return err
			}
			m.SentAt = sent.ptr()
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// MarkOutboxSent records delivery if claimID still holds the lease. A
// sensitive message's body (a reset link) is not kept once sent.
func (db *DB) MarkOutboxSent(ctx context.Context, id int64, claimID string, at time.Time) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = $1, claimed_until = NULL,
			body = CASE WHEN sensitive THEN $2 ELSE body END WHERE id = $3 AND claim_id = $4 AND status = 'pending'`,
			formatTime(at), sentSensitiveBody, id, claimID)
		if err != nil {
			return fmt.Errorf("mark sent: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backdesk.Errorf(backdesk.CodeConflict, "The message's claim has passed to another worker.")
		}
		return nil
	})
}

// sentSensitiveBody replaces a sensitive message's body once delivered.
const sentSensitiveBody = "[Delivered. This message held a private link for its recipient; it is not kept.]"

// MarkOutboxRetry records a failed attempt.
func (db *DB) MarkOutboxRetry(ctx context.Context, id int64, claimID, errText string, retryAt time.Time, giveUp bool) error {
	status := backdesk.OutboxPending
	if giveUp {
		status = backdesk.OutboxFailed
	}
	if len(errText) > 1000 {
		errText = errText[:1000]
	}
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, send_after = $3, claimed_until = NULL
			WHERE id = $4 AND claim_id = $5 AND status = 'pending'`, status, errText, formatTime(retryAt), id, claimID)
		return err
	})
}

// ReleaseOutbox ends claimID's lease on a pending message without counting
// an attempt; a lease that has passed to another worker is left alone.
func (db *DB) ReleaseOutbox(ctx context.Context, id int64, claimID string) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_until = NULL, claim_id = NULL
			WHERE id = $1 AND claim_id = $2 AND status = 'pending'`, id, claimID); err != nil {
			return fmt.Errorf("release outbox claim: %w", err)
		}
		return nil
	})
}

// dropBookingMail marks the pending emails of a booking as no longer due.
func dropBookingMail(ctx context.Context, tx *sql.Tx, bookingID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped' WHERE booking_id = $1 AND status = 'pending'`, bookingID); err != nil {
		return fmt.Errorf("drop booking mail: %w", err)
	}
	return nil
}
