package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"backdesk"
)

// outcomeDetail is what an outcome keeps beside its score.
type outcomeDetail struct {
	Activities []backdesk.PSFSActivity `json:"activities,omitempty"`
	Risk       string                  `json:"risk,omitempty"`
	Answers    json.RawMessage         `json:"answers,omitempty"`
}

func (db *DB) insertOutcomes(ctx context.Context, tx *sql.Tx, list []*backdesk.Outcome, now time.Time) error {
	for _, o := range list {
		detail, err := jsonText(outcomeDetail{Activities: o.Activities, Risk: o.Risk, Answers: o.Answers})
		if err != nil {
			return err
		}
		o.RecordedAt = now
		if err := tx.QueryRowContext(ctx, `INSERT INTO outcomes (patient_id, measure, value, detail, source, booking_id, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			o.PatientID, string(o.Measure), o.Value, detail, string(o.Source), nullID(o.BookingID), nullID(o.RecordedBy), formatTime(now)).Scan(&o.ID); err != nil {
			return fmt.Errorf("insert outcome: %w", err)
		}
		if err := db.emitTx(ctx, tx, backdesk.EventOutcomeRecorded, o.Key(), backdesk.EventData{PatientID: o.PatientID, Measure: string(o.Measure)}); err != nil {
			return err
		}
	}
	return nil
}

// InsertOutcomes stores every outcome of one filling-in, or none.
func (db *DB) InsertOutcomes(ctx context.Context, list []*backdesk.Outcome, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		return 0, db.insertOutcomes(ctx, tx, list, now)
	}, audit)
}

// FindOutcomes lists a patient's stored outcomes, oldest first.
func (db *DB) FindOutcomes(ctx context.Context, patientID int64) ([]*backdesk.Outcome, error) {
	out := []*backdesk.Outcome{}
	err := eachRow(ctx, db.read, `SELECT id, patient_id, measure, value, detail, source, COALESCE(booking_id, 0), COALESCE(recorded_by, 0), recorded_at
		FROM outcomes WHERE patient_id = $1 ORDER BY recorded_at, id`, []any{patientID}, func(sc scanner) error {
		o := &backdesk.Outcome{}
		var detail string
		if err := sc.Scan(&o.ID, &o.PatientID, &o.Measure, &o.Value, &detail, &o.Source, &o.BookingID, &o.RecordedBy, dbTime{&o.RecordedAt}); err != nil {
			return err
		}
		var d outcomeDetail
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			return fmt.Errorf("decode outcome: %w", err)
		}
		o.Activities, o.Risk, o.Answers = d.Activities, d.Risk, d.Answers
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find outcomes: %w", err)
	}
	return out, nil
}

// FindBookingsStarting lists live bookings starting in (from, to] with no
// outcome request yet, earliest first.
func (db *DB) FindBookingsStarting(ctx context.Context, from, to time.Time) ([]*backdesk.Booking, error) {
	out := []*backdesk.Booking{}
	err := eachRow(ctx, db.read, `SELECT `+bookingColumns+` FROM bookings WHERE status = 'booked' AND starts_at > $1 AND starts_at <= $2
		AND NOT EXISTS (SELECT 1 FROM outcome_requests r WHERE r.booking_id = bookings.id) ORDER BY starts_at, id`,
		[]any{formatTime(from), formatTime(to)}, func(sc scanner) error {
			b, err := scanBooking(sc)
			if err == nil {
				out = append(out, b)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find bookings starting: %w", err)
	}
	return out, nil
}

// InsertOutcomeRequest stores a request and its email, once per booking:
// the booking's primary key in outcome_requests decides, so concurrent
// sweeps (in any number of processes) write one.
func (db *DB) InsertOutcomeRequest(ctx context.Context, r *backdesk.OutcomeRequest, msg *backdesk.OutboxMessage, audit *backdesk.AuditEntry) (bool, error) {
	now := db.now()
	created := false
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		created = false
		if live, err := db.patientLiveTx(ctx, tx, r.PatientID); err != nil || !live {
			return 0, cmp.Or(err, errAlreadyWritten)
		}
		// Only while the appointment is still the patient's and booked: the
		// sweep chose it before this transaction, and a cancellation (or an
		// erasure, which cancels) may have come between.
		res, err := tx.ExecContext(ctx, `INSERT INTO outcome_requests (booking_id, patient_id, created_at)
			SELECT id, patient_id, $3 FROM bookings WHERE id = $1 AND patient_id = $2 AND status = 'booked'
			ON CONFLICT (booking_id) DO NOTHING`, r.BookingID, r.PatientID, formatTime(now))
		if err != nil {
			return 0, fmt.Errorf("insert outcome request: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, errAlreadyWritten
		}
		msg.CreatedAt, msg.BookingID = now, r.BookingID
		if err := db.insertOutbox(ctx, tx, msg); err != nil {
			return 0, err
		}
		if msg.ID == 0 {
			// Not stored: the patient has no address or asked not to be
			// emailed (OutboxMessage.ToPatient). No request without its email.
			return 0, errAlreadyWritten
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outcome_requests SET outbox_id = $1 WHERE booking_id = $2`, msg.ID, r.BookingID); err != nil {
			return 0, fmt.Errorf("insert outcome request: %w", err)
		}
		r.CreatedAt = now
		created = true
		return r.BookingID, nil
	}, audit)
	if errors.Is(err, errAlreadyWritten) {
		return false, nil
	}
	return created, err
}

// errAlreadyWritten undoes a change that found its row already there (the
// audit line must not be written for it); the caller reports false.
var errAlreadyWritten = errors.New("already written")

// FindOutcomeRequest returns the request of a booking.
func (db *DB) FindOutcomeRequest(ctx context.Context, bookingID int64) (*backdesk.OutcomeRequest, error) {
	r := &backdesk.OutcomeRequest{}
	var answered nullTime
	err := db.read.QueryRowContext(ctx, `SELECT r.booking_id, r.patient_id, b.starts_at, r.created_at, r.answered_at
		FROM outcome_requests r JOIN bookings b ON b.id = r.booking_id WHERE r.booking_id = $1`, bookingID).
		Scan(&r.BookingID, &r.PatientID, dbTime{&r.AppointmentStart}, dbTime{&r.CreatedAt}, &answered)
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Questionnaire not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find outcome request: %w", err)
	}
	r.AnsweredAt = answered.ptr()
	return r, nil
}

// AnswerOutcomeRequest stores the answers and marks the request answered,
// once: the update that marks it is conditional, and decides.
func (db *DB) AnswerOutcomeRequest(ctx context.Context, bookingID int64, list []*backdesk.Outcome, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE outcome_requests SET answered_at = $1 WHERE booking_id = $2 AND answered_at IS NULL`, formatTime(now), bookingID)
		if err != nil {
			return 0, fmt.Errorf("answer outcome request: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This questionnaire has already been answered. Thank you.")
		}
		return 0, db.insertOutcomes(ctx, tx, list, now)
	}, audit)
}

// outcomeRequests lists a patient's requests, for their export.
func (db *DB) outcomeRequests(ctx context.Context, patientID int64) ([]*backdesk.OutcomeRequest, error) {
	out := []*backdesk.OutcomeRequest{}
	err := eachRow(ctx, db.read, `SELECT r.booking_id, r.patient_id, b.starts_at, r.created_at, r.answered_at
		FROM outcome_requests r JOIN bookings b ON b.id = r.booking_id WHERE r.patient_id = $1 ORDER BY r.created_at`, []any{patientID},
		func(sc scanner) error {
			r := &backdesk.OutcomeRequest{}
			var answered nullTime
			if err := sc.Scan(&r.BookingID, &r.PatientID, dbTime{&r.AppointmentStart}, dbTime{&r.CreatedAt}, &answered); err != nil {
				return err
			}
			r.AnsweredAt = answered.ptr()
			out = append(out, r)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("export outcome requests: %w", err)
	}
	return out, nil
}
