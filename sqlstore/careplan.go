package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"backdesk"
)

// storedExercise is a plan exercise as kept: without the exercise itself,
// which is read with the plan from the library.
func storedExercises(list []backdesk.PlanExercise) []backdesk.PlanExercise {
	out := make([]backdesk.PlanExercise, len(list))
	for i, e := range list {
		e.Exercise = nil
		out[i] = e
	}
	return out
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	return string(b), nil
}

func (db *DB) insertPlanVersion(ctx context.Context, tx *sql.Tx, v *backdesk.CarePlanVersion) error {
	goals, err := jsonText(listOf(v.Goals))
	if err != nil {
		return err
	}
	sessions, err := jsonText(listOf(v.Sessions))
	if err != nil {
		return err
	}
	exercises, err := jsonText(storedExercises(v.Exercises))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO care_plan_versions (plan_id, version, problem, goals, sessions, exercises, change_note, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		v.PlanID, v.Version, v.Problem, goals, sessions, exercises, v.ChangeNote, v.AuthorID, formatTime(v.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert plan version: %w", err)
	}
	return nil
}

func listOf[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// InsertCarePlan stores a plan and its first version in one transaction.
func (db *DB) InsertCarePlan(ctx context.Context, p *backdesk.CarePlan, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM care_plans WHERE patient_id = $1`, p.PatientID).Scan(&exists); err != nil {
			return 0, fmt.Errorf("insert plan: %w", err)
		}
		if exists > 0 {
			return 0, errHasPlan
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO care_plans (patient_id, practitioner_id, version, created_at, updated_at)
			VALUES ($1, $2, 1, $3, $3) RETURNING id`, p.PatientID, p.PractitionerID, formatTime(now)).Scan(&p.ID); err != nil {
			if db.d.constraint(err) == uniqueViolation {
				return 0, errHasPlan
			}
			return 0, fmt.Errorf("insert plan: %w", err)
		}
		p.CreatedAt = now
		v := p.Current
		v.PlanID, v.Version, v.CreatedAt = p.ID, 1, now
		if err := db.insertPlanVersion(ctx, tx, v); err != nil {
			return 0, err
		}
		return p.ID, db.emitTx(ctx, tx, backdesk.EventCarePlanChanged, strconv.FormatInt(p.ID, 10), backdesk.EventData{PatientID: p.PatientID, Version: 1})
	}, audit)
}

var errHasPlan = backdesk.Errorf(backdesk.CodeConflict, "This patient already has a treatment plan: change it instead.")

// InsertCarePlanVersion makes v the plan's next, current version; the
// plan's row is locked (on PostgreSQL) while it is read and changed.
func (db *DB) InsertCarePlanVersion(ctx context.Context, v *backdesk.CarePlanVersion, base int, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var current int
		var patientID int64
		err := tx.QueryRowContext(ctx, `SELECT version, patient_id FROM care_plans WHERE id = $1`+db.d.forUpdate, v.PlanID).Scan(&current, &patientID)
		if err == sql.ErrNoRows {
			return 0, errNoPlan
		} else if err != nil {
			return 0, fmt.Errorf("change plan: %w", err)
		}
		if base != 0 && base != current {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "The plan was changed (it is now version %d) since you opened version %d: open it again and make your change there.", current, base)
		}
		v.Version, v.CreatedAt = current+1, now
		if err := db.insertPlanVersion(ctx, tx, v); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_plans SET version = $1, updated_at = $2 WHERE id = $3`, v.Version, formatTime(now), v.PlanID); err != nil {
			return 0, fmt.Errorf("change plan: %w", err)
		}
		return 0, db.emitTx(ctx, tx, backdesk.EventCarePlanChanged, strconv.FormatInt(v.PlanID, 10), backdesk.EventData{PatientID: patientID, Version: v.Version})
	}, audit)
}

var errNoPlan = backdesk.Errorf(backdesk.CodeNotFound, "Treatment plan not found.")

const versionColumns = `v.plan_id, v.version, v.problem, v.goals, v.sessions, v.exercises, v.change_note, v.author_id,
	COALESCE((SELECT name FROM practitioners WHERE practitioners.id = v.author_id), ''), v.created_at`

func scanVersion(sc scanner, extra ...any) (*backdesk.CarePlanVersion, error) {
	v := &backdesk.CarePlanVersion{}
	var goals, sessions, exercises string
	err := sc.Scan(append([]any{&v.PlanID, &v.Version, &v.Problem, &goals, &sessions, &exercises, &v.ChangeNote, &v.AuthorID, &v.AuthorName, dbTime{&v.CreatedAt}}, extra...)...)
	if err != nil {
		return nil, err
	}
	for _, d := range []struct {
		s string
		v any
	}{{goals, &v.Goals}, {sessions, &v.Sessions}, {exercises, &v.Exercises}} {
		if err := json.Unmarshal([]byte(d.s), d.v); err != nil {
			return nil, fmt.Errorf("decode plan version: %w", err)
		}
	}
	return v, nil
}

func (db *DB) findPlan(ctx context.Context, where string, arg any) (*backdesk.CarePlan, error) {
	p := &backdesk.CarePlan{}
	v, err := scanVersion(db.read.QueryRowContext(ctx, `SELECT `+versionColumns+`, p.id, p.patient_id, p.practitioner_id, p.created_at,
		COALESCE((SELECT name FROM patients WHERE patients.id = p.patient_id), '')
		FROM care_plans p JOIN care_plan_versions v ON v.plan_id = p.id AND v.version = p.version WHERE `+where, arg),
		&p.ID, &p.PatientID, &p.PractitionerID, dbTime{&p.CreatedAt}, &p.PatientName)
	if err == sql.ErrNoRows {
		return nil, errNoPlan
	} else if err != nil {
		return nil, fmt.Errorf("find plan: %w", err)
	}
	p.Current = v
	return p, nil
}

// FindCarePlanByID returns a plan with its current version.
func (db *DB) FindCarePlanByID(ctx context.Context, id int64) (*backdesk.CarePlan, error) {
	return db.findPlan(ctx, `p.id = $1`, id)
}

// FindCarePlanByPatient returns a patient's plan with its current version.
func (db *DB) FindCarePlanByPatient(ctx context.Context, patientID int64) (*backdesk.CarePlan, error) {
	return db.findPlan(ctx, `p.patient_id = $1`, patientID)
}

// FindCarePlanVersions lists every version of a plan, oldest first.
func (db *DB) FindCarePlanVersions(ctx context.Context, planID int64) ([]*backdesk.CarePlanVersion, error) {
	out := []*backdesk.CarePlanVersion{}
	err := eachRow(ctx, db.read, `SELECT `+versionColumns+` FROM care_plan_versions v WHERE v.plan_id = $1 ORDER BY v.version`, []any{planID},
		func(sc scanner) error {
			v, err := scanVersion(sc)
			if err == nil {
				out = append(out, v)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find plan versions: %w", err)
	}
	return out, nil
}

// InsertExerciseLog stores a log against the plan's current version, in a
// transaction that reads (and on PostgreSQL locks) the plan, so that a
// version made meanwhile is seen.
func (db *DB) InsertExerciseLog(ctx context.Context, l *backdesk.ExerciseLog, dayStart, dayEnd time.Time, perDay int, audit *backdesk.AuditEntry) error {
	l.DoneAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var current int
		var patientID int64
		err := tx.QueryRowContext(ctx, `SELECT version, patient_id FROM care_plans WHERE id = $1`+db.d.forUpdate, l.PlanID).Scan(&current, &patientID)
		switch {
		case err == sql.ErrNoRows || err == nil && patientID != l.PatientID:
			return 0, errNoPlan
		case err != nil:
			return 0, fmt.Errorf("log exercise: %w", err)
		case l.Version != current:
			return 0, backdesk.Errorf(backdesk.CodeConflict, "Your plan has changed since you opened it (it is now version %d): open it again to see today's exercises.", current)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exercise_logs WHERE plan_id = $1 AND exercise_id = $2 AND done_at >= $3 AND done_at < $4`,
			l.PlanID, l.ExerciseID, formatTime(dayStart), formatTime(dayEnd)).Scan(&n); err != nil {
			return 0, fmt.Errorf("log exercise: %w", err)
		}
		if n >= perDay {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "You have already done this exercise %s today, as your plan asks. Well done.", times(n))
		}
		var pain any
		if l.Pain != nil {
			pain = *l.Pain
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO exercise_logs (plan_id, version, patient_id, exercise_id, pain, done_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, l.PlanID, l.Version, l.PatientID, l.ExerciseID, pain, formatTime(l.DoneAt)).Scan(&l.ID); err != nil {
			return 0, fmt.Errorf("log exercise: %w", err)
		}
		return l.ID, nil
	}, audit)
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// FindExerciseLogs lists a plan's logs done in [from, to), oldest first.
func (db *DB) FindExerciseLogs(ctx context.Context, planID int64, from, to time.Time) ([]*backdesk.ExerciseLog, error) {
	out := []*backdesk.ExerciseLog{}
	err := eachRow(ctx, db.read, `SELECT id, plan_id, version, patient_id, exercise_id, pain, done_at FROM exercise_logs
		WHERE plan_id = $1 AND done_at >= $2 AND done_at < $3 ORDER BY done_at, id`, []any{planID, formatTime(from), formatTime(to)},
		func(sc scanner) error {
			l, err := scanLog(sc)
			if err == nil {
				out = append(out, l)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find exercise logs: %w", err)
	}
	return out, nil
}

func scanLog(sc scanner) (*backdesk.ExerciseLog, error) {
	l := &backdesk.ExerciseLog{}
	var pain sql.NullInt64
	if err := sc.Scan(&l.ID, &l.PlanID, &l.Version, &l.PatientID, &l.ExerciseID, &pain, dbTime{&l.DoneAt}); err != nil {
		return nil, err
	}
	if pain.Valid {
		p := int(pain.Int64)
		l.Pain = &p
	}
	return l, nil
}

// exportHomeProgramme adds a patient's plan, its versions, the exercises
// logged, the outcome scores, the email settings and the questionnaires
// emailed to their export.
func (db *DB) exportHomeProgramme(ctx context.Context, pd *backdesk.PersonalData, patientID int64) error {
	pd.CarePlans, pd.CarePlanVersions, pd.ExerciseLogs, pd.OutcomeRequests = []*backdesk.CarePlan{}, []*backdesk.CarePlanVersion{}, []*backdesk.ExerciseLog{}, []*backdesk.OutcomeRequest{}
	p, err := db.FindCarePlanByPatient(ctx, patientID)
	switch {
	case err == nil:
		pd.CarePlans = append(pd.CarePlans, p)
		if pd.CarePlanVersions, err = db.FindCarePlanVersions(ctx, p.ID); err != nil {
			return err
		}
		if pd.ExerciseLogs, err = db.FindExerciseLogs(ctx, p.ID, time.Time{}, db.now().Add(time.Hour)); err != nil {
			return err
		}
	case backdesk.ErrorCode(err) != backdesk.CodeNotFound:
		return err
	}
	if pd.Outcomes, err = db.FindOutcomes(ctx, patientID); err != nil {
		return err
	}
	if pd.ReminderSettings, err = db.FindReminderSettings(ctx, patientID); err != nil {
		return err
	}
	pd.OutcomeRequests, err = db.outcomeRequests(ctx, patientID)
	return err
}

// eraseHomeProgrammeTx removes, at a patient's erasure, what concerns only
// the emails of their plan: their email settings, which days' reminders
// they were sent and the questionnaires emailed (whose links then no
// longer work; the emails themselves go with the patient's other emails).
// The plan, its versions, the exercise logs and the outcome scores are
// clinical records and stay, linked to the anonymised record, as
// assessments do.
func eraseHomeProgrammeTx(ctx context.Context, tx *sql.Tx, patientID int64) error {
	for _, q := range []string{
		`DELETE FROM reminder_settings WHERE patient_id = $1`,
		`DELETE FROM plan_reminders_sent WHERE patient_id = $1`,
		`DELETE FROM outcome_requests WHERE patient_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, patientID); err != nil {
			return fmt.Errorf("erase plan emails: %w", err)
		}
	}
	return nil
}
