package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"backdesk"
)

const intakeColumns = `id, booking_id, patient_id, answers, safety, created_at`

func scanIntake(sc scanner) (*backdesk.Intake, error) {
	in := &backdesk.Intake{}
	var answers, safety sql.NullString
	if err := sc.Scan(&in.ID, &in.BookingID, &in.PatientID, &answers, &safety, dbTime{&in.CreatedAt}); err != nil {
		return nil, err
	}
	if answers.Valid {
		in.Answers = json.RawMessage(answers.String)
	}
	if safety.Valid {
		in.Safety = &backdesk.AssessmentResult{}
		if err := json.Unmarshal([]byte(safety.String), in.Safety); err != nil {
			return nil, fmt.Errorf("decode stored intake %d: %w", in.ID, err)
		}
	}
	return in, nil
}

// InsertIntake stores in and applies upd to its patient's record, in one
// transaction with the audit lines; the history rows of the record take
// their author from the first audit line. A second intake of one booking
// is CodeConflict (a unique index).
func (db *DB) InsertIntake(ctx context.Context, in *backdesk.Intake, upd backdesk.PatientUpdate, audit ...*backdesk.AuditEntry) error {
	var answers, safety any
	if len(in.Answers) > 0 {
		answers = string(in.Answers)
	}
	if in.Safety != nil {
		b, err := json.Marshal(in.Safety)
		if err != nil {
			return fmt.Errorf("encode intake safety: %w", err)
		}
		safety = string(b)
	}
	var by *backdesk.AuditEntry
	if len(audit) > 0 {
		by = audit[0]
	}
	in.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if _, err := db.updatePatientTx(ctx, tx, in.PatientID, upd, by); err != nil {
			return 0, err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO intakes (booking_id, patient_id, answers, safety, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			in.BookingID, in.PatientID, answers, safety, formatTime(in.CreatedAt)).Scan(&in.ID)
		if err != nil {
			return 0, fmt.Errorf("insert intake: %w", err)
		}
		return in.ID, nil
	}, audit...)
}

// FindIntakeByBooking returns CodeNotFound when the booking has no intake.
func (db *DB) FindIntakeByBooking(ctx context.Context, bookingID int64) (*backdesk.Intake, error) {
	in, err := scanIntake(db.read.QueryRowContext(ctx, `SELECT `+intakeColumns+` FROM intakes WHERE booking_id = $1`, bookingID))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "No health questions answered for this appointment.")
	} else if err != nil {
		return nil, fmt.Errorf("find intake: %w", err)
	}
	return in, nil
}

// FindIntakesByPatient lists a patient's intakes, newest first.
func (db *DB) FindIntakesByPatient(ctx context.Context, patientID int64) ([]*backdesk.Intake, error) {
	out := []*backdesk.Intake{}
	err := eachRow(ctx, db.read, `SELECT `+intakeColumns+` FROM intakes WHERE patient_id = $1 ORDER BY created_at DESC, id DESC`,
		[]any{patientID}, func(sc scanner) error {
			in, err := scanIntake(sc)
			if err == nil {
				out = append(out, in)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find intakes: %w", err)
	}
	return out, nil
}
