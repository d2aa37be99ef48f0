package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"backdesk"
)

// FindPatientByID returns CodeNotFound if there is no such patient.
func (db *DB) FindPatientByID(ctx context.Context, id int64) (*backdesk.Patient, error) {
	p, err := scanPatient(db.hotRead().QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find patient: %w", err)
	}
	return p, nil
}

const patientColumns = `id, name, email, phone, date_of_birth, address, family_doctor, emergency_contact_name, emergency_contact_phone,
	consent_treatment_at, consent_email, created_at, erased_at`

// scanPatient reads patientColumns, then any extra columns into extra.
func scanPatient(sc scanner, extra ...any) (*backdesk.Patient, error) {
	p := &backdesk.Patient{}
	var erased, consented nullTime
	var email sql.NullBool
	err := sc.Scan(append([]any{&p.ID, &p.Name, &p.Email, &p.Phone, &p.DateOfBirth, &p.Address, &p.FamilyDoctor,
		&p.EmergencyContactName, &p.EmergencyContactPhone, &consented, &email, dbTime{&p.CreatedAt}, &erased}, extra...)...)
	p.ErasedAt, p.ConsentTreatmentAt = erased.ptr(), consented.ptr()
	if email.Valid {
		p.ConsentEmail = &email.Bool
	}
	return p, err
}

// FindPatients searches the clinic's patients, by name.
func (db *DB) FindPatients(ctx context.Context, f backdesk.PatientFilter) ([]*backdesk.Patient, int, error) {
	w := where{conds: []string{`erased_at IS NULL`}}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		pattern := "%" + likeEscaper.Replace(q) + "%"
		text := db.d.fold + `(name) LIKE $%[1]d ESCAPE '\' OR email LIKE $%[1]d ESCAPE '\' OR phone LIKE $%[1]d ESCAPE '\'`
		// A number matches a phone however either was spaced: its digits
		// against the phone's digits.
		if digits := phoneDigits(q); len(digits) >= 3 && len(digits) == len(strings.Map(dropSpacing, q)) {
			w.addArgs(`(`+text+` OR `+phoneDigitsSQL+` LIKE $%[2]d)`, pattern, "%"+digits+"%")
		} else {
			w.add(`(`+text+`)`, pattern)
		}
	}
	if n := strings.ToLower(strings.TrimSpace(f.Name)); n != "" {
		w.add(db.d.fold+`(name) LIKE $%d ESCAPE '\'`, "%"+likeEscaper.Replace(n)+"%")
	}
	if f.IDs != nil {
		ids := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = id
		}
		w.in(`id`, ids...)
	}
	out := []*backdesk.Patient{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+patientColumns+`, COUNT(*) OVER () FROM patients `+w.sql()+` ORDER BY `+db.d.fold+`(name), id `+limitOffset(f.Page, 50, 200), w.args,
		func(sc scanner) error {
			p, err := scanPatient(sc, &total)
			out = append(out, p)
			return err
		})
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), f.Page, `patients `+w.sql(), w.args, &total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find patients: %w", err)
	}
	return out, total, nil
}

// phoneDigitsSQL is a phone number with its spacing taken out, as
// phoneDigits does in Go.
const phoneDigitsSQL = `replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')`

// phoneDigits keeps the digits of s.
func phoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// dropSpacing removes what people put between a phone number's digits.
func dropSpacing(r rune) rune {
	if strings.ContainsRune(" -()+", r) {
		return -1
	}
	return r
}

// likeEscaper makes user text literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// InsertPatient validates and records a patient, with the audit line
// (naming the new record).
func (db *DB) InsertPatient(ctx context.Context, p *backdesk.Patient, audit *backdesk.AuditEntry) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO patients (name, email, phone, date_of_birth, address, family_doctor,
			emergency_contact_name, emergency_contact_phone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.Name, p.Email, p.Phone, p.DateOfBirth, p.Address, p.FamilyDoctor, p.EmergencyContactName, p.EmergencyContactPhone,
			formatTime(p.CreatedAt)).Scan(&p.ID)
		if err != nil {
			return 0, fmt.Errorf("insert patient: %w", err)
		}
		if audit != nil {
			audit.PatientID = p.ID
		}
		return p.ID, nil
	}, audit)
}

// UpdatePatient reads the record (locked on PostgreSQL), applies upd,
// validates and writes it, with one history row per changed field, in one
// transaction with the audit line.
func (db *DB) UpdatePatient(ctx context.Context, id int64, upd backdesk.PatientUpdate, audit *backdesk.AuditEntry) (*backdesk.Patient, error) {
	var p *backdesk.Patient
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		p, err = db.updatePatientTx(ctx, tx, id, upd, audit)
		return id, err
	}, audit)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// updatePatientTx is UpdatePatient inside a transaction: the history rows
// take their author from audit.
func (db *DB) updatePatientTx(ctx context.Context, tx *sql.Tx, id int64, upd backdesk.PatientUpdate, audit *backdesk.AuditEntry) (*backdesk.Patient, error) {
	p, err := scanPatient(tx.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = $1`+db.d.forUpdate, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
	} else if err != nil {
		return nil, fmt.Errorf("update patient: %w", err)
	}
	if p.ErasedAt != nil {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "This record is erased.")
	}
	now := db.now()
	changes := upd.Apply(p, now)
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var email any
	if p.ConsentEmail != nil {
		email = *p.ConsentEmail
	}
	var consented any
	if p.ConsentTreatmentAt != nil {
		consented = formatTime(*p.ConsentTreatmentAt)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE patients SET phone = $1, date_of_birth = $2, address = $3, family_doctor = $4,
		emergency_contact_name = $5, emergency_contact_phone = $6, consent_treatment_at = $7, consent_email = $8 WHERE id = $9`,
		p.Phone, p.DateOfBirth, p.Address, p.FamilyDoctor, p.EmergencyContactName, p.EmergencyContactPhone, consented, email, id); err != nil {
		return nil, fmt.Errorf("update patient: %w", err)
	}
	var by int64
	var role backdesk.Role
	if audit != nil {
		by, role = audit.ActorUserID, audit.ActorRole
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO patient_changes (patient_id, field, old_value, new_value, by_user_id, by_role, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, c.Field, c.OldValue, c.NewValue, nullID(by), string(role), formatTime(now)); err != nil {
			return nil, fmt.Errorf("record patient change: %w", err)
		}
	}
	return p, nil
}

// FindPatientChanges lists a record's history, newest first.
func (db *DB) FindPatientChanges(ctx context.Context, patientID int64) ([]*backdesk.PatientChange, error) {
	out := []*backdesk.PatientChange{}
	err := eachRow(ctx, db.read, `SELECT id, patient_id, field, old_value, new_value, COALESCE(by_user_id, 0), by_role, at
		FROM patient_changes WHERE patient_id = $1 ORDER BY at DESC, id DESC`, []any{patientID}, func(sc scanner) error {
		c := &backdesk.PatientChange{}
		if err := sc.Scan(&c.ID, &c.PatientID, &c.Field, &c.OldValue, &c.NewValue, &c.ByUserID, &c.ByRole, dbTime{&c.At}); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find patient changes: %w", err)
	}
	return out, nil
}
