package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"backdesk"
)

const reminderColumns = `patient_id, daily, hour, outcome_requests, updated_at`

func scanReminders(sc scanner) (*backdesk.ReminderSettings, error) {
	s := &backdesk.ReminderSettings{}
	err := sc.Scan(&s.PatientID, &s.Daily, &s.Hour, &s.OutcomeRequests, dbTime{&s.UpdatedAt})
	return s, err
}

// FindReminderSettings returns a patient's settings, or the defaults.
func (db *DB) FindReminderSettings(ctx context.Context, patientID int64) (*backdesk.ReminderSettings, error) {
	s, err := scanReminders(db.read.QueryRowContext(ctx, `SELECT `+reminderColumns+` FROM reminder_settings WHERE patient_id = $1`, patientID))
	if err == sql.ErrNoRows {
		return backdesk.DefaultReminderSettings(patientID), nil
	} else if err != nil {
		return nil, fmt.Errorf("find reminder settings: %w", err)
	}
	return s, nil
}

// UpsertReminderSettings stores the settings and drops the waiting emails
// of each kind they switch off.
func (db *DB) UpsertReminderSettings(ctx context.Context, s *backdesk.ReminderSettings, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_settings (patient_id, daily, hour, outcome_requests, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (patient_id) DO UPDATE SET daily = excluded.daily, hour = excluded.hour, outcome_requests = excluded.outcome_requests, updated_at = excluded.updated_at`,
			s.PatientID, s.Daily, s.Hour, s.OutcomeRequests, formatTime(now)); err != nil {
			return 0, fmt.Errorf("save reminder settings: %w", err)
		}
		s.UpdatedAt = now
		for _, off := range []struct {
			off   bool
			table string
		}{{!s.Daily, "plan_reminders_sent"}, {!s.OutcomeRequests, "outcome_requests"}} {
			if !off.off {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped' WHERE status = 'pending'
				AND id IN (SELECT outbox_id FROM `+off.table+` WHERE patient_id = $1 AND outbox_id IS NOT NULL)`, s.PatientID); err != nil {
				return 0, fmt.Errorf("drop stopped emails: %w", err)
			}
		}
		return s.PatientID, nil
	}, audit)
}

// FindDailyReminderSettings lists the settings of the patients who asked
// for a daily reminder and have not had day's.
func (db *DB) FindDailyReminderSettings(ctx context.Context, day backdesk.Date) ([]*backdesk.ReminderSettings, error) {
	out := []*backdesk.ReminderSettings{}
	err := eachRow(ctx, db.read, `SELECT `+reminderColumns+` FROM reminder_settings s WHERE daily
		AND NOT EXISTS (SELECT 1 FROM plan_reminders_sent r WHERE r.patient_id = s.patient_id AND r.day = $1) ORDER BY patient_id`, []any{day.String()}, func(sc scanner) error {
		s, err := scanReminders(sc)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find daily reminders: %w", err)
	}
	return out, nil
}

// InsertPlanReminder writes that day's reminder once: the primary key
// (patient, day) of plan_reminders_sent decides, in the transaction that
// writes the email; a second writer, in this process or another, finds the
// row there (on PostgreSQL it waits for the first to commit) and writes
// nothing. Nothing is written for a patient erased meanwhile: the sweep
// chose them before the erasure committed.
func (db *DB) InsertPlanReminder(ctx context.Context, patientID int64, day backdesk.Date, msg *backdesk.OutboxMessage, audit *backdesk.AuditEntry) (bool, error) {
	now := db.now()
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if live, err := db.patientLiveTx(ctx, tx, patientID); err != nil || !live {
			return 0, cmp.Or(err, errAlreadyWritten)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO plan_reminders_sent (patient_id, day, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (patient_id, day) DO NOTHING`, patientID, day.String(), formatTime(now))
		if err != nil {
			return 0, fmt.Errorf("insert plan reminder: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, errAlreadyWritten
		}
		msg.CreatedAt = now
		if err := db.insertOutbox(ctx, tx, msg); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_reminders_sent SET outbox_id = $1 WHERE patient_id = $2 AND day = $3`, msg.ID, patientID, day.String()); err != nil {
			return 0, fmt.Errorf("insert plan reminder: %w", err)
		}
		return msg.ID, nil
	}, audit)
	if errors.Is(err, errAlreadyWritten) {
		return false, nil
	}
	return err == nil, err
}

// SigningKey returns the key named name, storing candidate first if there
// is none; the insert that loses a race keeps the winner's key.
func (db *DB) SigningKey(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	var secret string
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			name, hex.EncodeToString(candidate), formatTime(db.now())); err != nil {
			return 0, fmt.Errorf("signing key: %w", err)
		}
		return 0, tx.QueryRowContext(ctx, `SELECT secret FROM signing_keys WHERE name = $1`, name).Scan(&secret)
	})
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return hex.DecodeString(secret)
}

// patientLiveTx reports whether the patient's record is still there and not
// erased, locking its row on PostgreSQL until tx ends: an erasure locks it
// first, so a write about the patient that began before the erasure
// committed waits for it, then sees it, and writes nothing. (SQLite's one
// writer runs them one after the other anyway.)
func (db *DB) patientLiveTx(ctx context.Context, tx *sql.Tx, patientID int64) (bool, error) {
	var erased nullTime
	err := tx.QueryRowContext(ctx, `SELECT erased_at FROM patients WHERE id = $1`+db.d.forUpdate, patientID).Scan(&erased)
	if err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("read patient: %w", err)
	}
	return !erased.valid, nil
}
