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

const patientColumns = `id, name, email, phone, date_of_birth, created_at, erased_at`

// scanPatient reads patientColumns, then any extra columns into extra.
func scanPatient(sc scanner, extra ...any) (*backdesk.Patient, error) {
	p := &backdesk.Patient{}
	var erased nullTime
	err := sc.Scan(append([]any{&p.ID, &p.Name, &p.Email, &p.Phone, &p.DateOfBirth, dbTime{&p.CreatedAt}, &erased}, extra...)...)
	p.ErasedAt = erased.ptr()
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
		err := tx.QueryRowContext(ctx, `INSERT INTO patients (name, email, phone, date_of_birth, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			p.Name, p.Email, p.Phone, p.DateOfBirth, formatTime(p.CreatedAt)).Scan(&p.ID)
		if err != nil {
			return 0, fmt.Errorf("insert patient: %w", err)
		}
		if audit != nil {
			audit.PatientID = p.ID
		}
		return p.ID, nil
	}, audit)
}
