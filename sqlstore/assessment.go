package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"backdesk"
)

const assessmentColumns = `id, COALESCE(patient_id, 0), answers, result, created_at`

func scanAssessment(sc scanner) (*backdesk.Assessment, error) {
	a := &backdesk.Assessment{}
	var answers, result string
	if err := sc.Scan(&a.ID, &a.PatientID, &answers, &result, dbTime{&a.CreatedAt}); err != nil {
		return nil, err
	}
	a.Answers = json.RawMessage(answers)
	if err := json.Unmarshal([]byte(result), &a.Result); err != nil {
		return nil, fmt.Errorf("decode stored result of %s: %w", a.ID, err)
	}
	return a, nil
}

// InsertAssessment stores a; it fills CreatedAt.
func (db *DB) InsertAssessment(ctx context.Context, a *backdesk.Assessment, audit *backdesk.AuditEntry) error {
	result, err := json.Marshal(a.Result)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	a.CreatedAt = db.now()
	var patient any
	if a.PatientID != 0 {
		patient = a.PatientID
	}
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO assessments (id, patient_id, rules_version, disposition, answers, result, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			a.ID, patient, a.Result.RulesVersion, string(a.Result.Disposition), string(a.Answers), string(result), formatTime(a.CreatedAt))
		if err != nil {
			return 0, fmt.Errorf("insert assessment: %w", err)
		}
		if a.PatientID == 0 {
			return 0, nil // an anonymous result is no one's record: its id is its only key, never sent anywhere
		}
		return 0, db.emitTx(ctx, tx, backdesk.EventAssessmentCompleted, a.ID, backdesk.EventData{PatientID: a.PatientID})
	}, audit)
}

// FindAssessments lists the assessments on patients' records, newest
// first, with the total.
func (db *DB) FindAssessments(ctx context.Context, f backdesk.AssessmentFilter) ([]*backdesk.Assessment, int, error) {
	var w where
	w.conds = append(w.conds, `patient_id IS NOT NULL`)
	if f.PatientID != 0 {
		w.add(`patient_id = $%d`, f.PatientID)
	}
	if f.PatientIDs != nil {
		ids := make([]any, len(f.PatientIDs))
		for i, id := range f.PatientIDs {
			ids[i] = id
		}
		w.in(`patient_id`, ids...)
	}
	if !f.From.IsZero() {
		w.add(`created_at >= $%d`, formatTime(f.From))
	}
	if !f.To.IsZero() {
		w.add(`created_at < $%d`, formatTime(f.To))
	}
	out := []*backdesk.Assessment{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+assessmentColumns+`, COUNT(*) OVER () FROM assessments `+w.sql()+` ORDER BY created_at DESC, id `+limitOffset(f.Page, 100, 1000),
		w.args, func(sc scanner) error {
			a, err := scanAssessment(scanWithTotal{sc, &total})
			if err == nil {
				out = append(out, a)
			}
			return err
		})
	if err != nil {
		return nil, 0, fmt.Errorf("find assessments: %w", err)
	}
	return out, total, nil
}

// FindAssessmentByID returns CodeNotFound if there is no such assessment.
// Access rules are the caller's (clinic.AssessmentService).
func (db *DB) FindAssessmentByID(ctx context.Context, id string) (*backdesk.Assessment, error) {
	a, err := scanAssessment(db.read.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find assessment: %w", err)
	}
	return a, nil
}

// FindAssessmentsByPatient lists a patient's assessments, newest first.
func (db *DB) FindAssessmentsByPatient(ctx context.Context, patientID int64) ([]*backdesk.Assessment, error) {
	out := []*backdesk.Assessment{}
	err := eachRow(ctx, db.read, `SELECT `+assessmentColumns+` FROM assessments WHERE patient_id = $1 ORDER BY created_at DESC, id`,
		[]any{patientID}, func(sc scanner) error {
			a, err := scanAssessment(sc)
			if err == nil {
				out = append(out, a)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find assessments: %w", err)
	}
	return out, nil
}

// AttachAssessment puts an anonymous assessment on a patient's record:
// only while it has no patient, so that of two who hold its id at once
// only one takes it.
func (db *DB) AttachAssessment(ctx context.Context, id string, patientID int64, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE assessments SET patient_id = $1 WHERE id = $2 AND patient_id IS NULL`, patientID, id)
		if err != nil {
			return 0, fmt.Errorf("attach assessment: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
		}
		return 0, nil
	}, audit)
}
