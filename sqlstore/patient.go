package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

// FindPatientByID returns the patient if the actor may see them, and
// CodeNotFound otherwise (not revealing that the record exists).
func (db *DB) FindPatientByID(ctx context.Context, id int64) (*backdesk.Patient, error) {
	treats, err := db.treats(ctx, id)
	if err != nil {
		return nil, err
	}
	if !backdesk.CanSeePatient(backdesk.ActorFromContext(ctx), id, treats) {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
	}
	p := &backdesk.Patient{}
	var erased nullTime
	err = db.read.QueryRowContext(ctx, `SELECT id, name, email, phone, date_of_birth, created_at, erased_at FROM patients WHERE id = $1`, id).
		Scan(&p.ID, &p.Name, &p.Email, &p.Phone, &p.DateOfBirth, dbTime{&p.CreatedAt}, &erased)
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find patient: %w", err)
	}
	p.ErasedAt = erased.ptr()
	return p, nil
}
