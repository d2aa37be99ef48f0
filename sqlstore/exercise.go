package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"backdesk"
)

// InsertExercise stores a clinic exercise as version 1, or with next as the
// next version of an existing one, with the audit line. The exercise is
// kept as JSON, every version of it.
func (db *DB) InsertExercise(ctx context.Context, e *backdesk.Exercise, next bool, audit *backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM clinic_exercises WHERE id = $1`, e.ID).Scan(&current); err != nil {
			return 0, fmt.Errorf("insert exercise: %w", err)
		}
		switch {
		case next && current == 0:
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Exercise not found.")
		case !next && current > 0:
			return 0, backdesk.FieldError("id", "The clinic already has an exercise %s.", e.ID)
		}
		e.Version, e.Custom = current+1, true
		body, err := json.Marshal(e)
		if err != nil {
			return 0, fmt.Errorf("encode exercise: %w", err)
		}
		var by int64
		if audit != nil {
			by = audit.ActorUserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinic_exercises (id, version, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
			e.ID, e.Version, string(body), nullID(by), formatTime(now)); err != nil {
			return 0, fmt.Errorf("insert exercise: %w", err)
		}
		return 0, nil
	}, audit)
}

func scanExercise(sc scanner) (*backdesk.Exercise, error) {
	var body string
	if err := sc.Scan(&body); err != nil {
		return nil, err
	}
	e := &backdesk.Exercise{}
	if err := json.Unmarshal([]byte(body), e); err != nil {
		return nil, fmt.Errorf("decode exercise: %w", err)
	}
	return e, nil
}

// FindExercise returns a clinic exercise at version, or its current one
// for 0.
func (db *DB) FindExercise(ctx context.Context, id string, version int) (*backdesk.Exercise, error) {
	q, args := `SELECT body FROM clinic_exercises WHERE id = $1 ORDER BY version DESC LIMIT 1`, []any{id}
	if version > 0 {
		q, args = `SELECT body FROM clinic_exercises WHERE id = $1 AND version = $2`, []any{id, version}
	}
	e, err := scanExercise(db.read.QueryRowContext(ctx, q, args...))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Exercise not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find exercise: %w", err)
	}
	return e, nil
}

// FindExercises lists the clinic's exercises at their current versions, by
// id.
func (db *DB) FindExercises(ctx context.Context) ([]*backdesk.Exercise, error) {
	out := []*backdesk.Exercise{}
	err := eachRow(ctx, db.read, `SELECT body FROM clinic_exercises c
		WHERE version = (SELECT MAX(version) FROM clinic_exercises d WHERE d.id = c.id) ORDER BY id`, nil, func(sc scanner) error {
		e, err := scanExercise(sc)
		if err == nil {
			out = append(out, e)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find exercises: %w", err)
	}
	return out, nil
}
