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
	consent_treatment_at, consent_email, created_at, erased_at, COALESCE(merged_into, 0)`

// scanPatient reads patientColumns, then any extra columns into extra.
func scanPatient(sc scanner, extra ...any) (*backdesk.Patient, error) {
	p := &backdesk.Patient{}
	var erased, consented nullTime
	var email sql.NullBool
	err := sc.Scan(append([]any{&p.ID, &p.Name, &p.Email, &p.Phone, &p.DateOfBirth, &p.Address, &p.FamilyDoctor,
		&p.EmergencyContactName, &p.EmergencyContactPhone, &consented, &email, dbTime{&p.CreatedAt}, &erased, &p.MergedInto}, extra...)...)
	p.ErasedAt, p.ConsentTreatmentAt = erased.ptr(), consented.ptr()
	if email.Valid {
		p.ConsentEmail = &email.Bool
	}
	return p, err
}

// FindPatients searches the clinic's patients, by name.
func (db *DB) FindPatients(ctx context.Context, f backdesk.PatientFilter) ([]*backdesk.Patient, int, error) {
	w := where{conds: []string{`erased_at IS NULL`, `merged_into IS NULL`}}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		pattern := "%" + likeEscaper.Replace(q) + "%"
		// The name as folded (accents, case, punctuation: "siobhan o
		// briain" finds "Siobhán Ó Briain"), the email and the phone as
		// typed.
		// A search of punctuation alone ("_", "%") folds to nothing, and
		// matches the name as written.
		folded := pattern
		if f := backdesk.FoldText(q); f != "" {
			folded = "%" + likeEscaper.Replace(f) + "%"
		}
		text := `search_name LIKE $%[2]d ESCAPE '\' OR ` + db.d.fold + `(name) LIKE $%[1]d ESCAPE '\' OR email LIKE $%[1]d ESCAPE '\' OR phone LIKE $%[1]d ESCAPE '\'`
		// A number matches a phone however either was spaced, and in
		// national or international form: their digits without leading
		// zeros (PhoneKey), one within the other, or a whole number with
		// its country code against one written nationally.
		if key := backdesk.PhoneKey(q); len(key) >= 3 && len(phoneDigits(q)) == len(strings.Map(dropSpacing, q)) {
			if len(key) >= backdesk.MinPhoneKey {
				// A whole number with its country code, against one
				// written nationally.
				w.addArgs(`(`+text+` OR `+phoneKeySQL+` LIKE $%[3]d OR (length(`+phoneKeySQL+`) >= $%[5]d AND $%[4]d LIKE '%%' || `+phoneKeySQL+`))`,
					pattern, folded, "%"+key+"%", key, backdesk.MinPhoneKey)
			} else {
				w.addArgs(`(`+text+` OR `+phoneKeySQL+` LIKE $%[3]d)`, pattern, folded, "%"+key+"%")
			}
		} else {
			w.addArgs(`(`+text+`)`, pattern, folded)
		}
	}
	if p := f.LookAlike; p != nil {
		// Candidates only: FindLookAlikes decides which look alike.
		var conds []string
		if key := backdesk.PhoneKey(p.Phone); len(key) >= backdesk.MinPhoneKey {
			w.args = append(w.args, key, backdesk.MinPhoneKey)
			k, n := len(w.args)-1, len(w.args)
			conds = append(conds, fmt.Sprintf(`(length(`+phoneKeySQL+`) >= $%[2]d AND ($%[1]d LIKE '%%' || `+phoneKeySQL+` OR `+phoneKeySQL+` LIKE '%%' || $%[1]d))`, k, n))
		}
		if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" {
			w.args = append(w.args, e)
			conds = append(conds, fmt.Sprintf(`email = $%d`, len(w.args)))
		}
		if d := strings.TrimSpace(p.DateOfBirth); d != "" {
			w.args = append(w.args, d)
			conds = append(conds, fmt.Sprintf(`date_of_birth = $%d`, len(w.args)))
		}
		if len(conds) == 0 {
			conds = append(conds, `1 = 0`)
		}
		w.conds = append(w.conds, `(`+strings.Join(conds, ` OR `)+`)`)
	}
	if f.TreatedBy != 0 {
		w.add(`id IN (SELECT patient_id FROM bookings WHERE practitioner_id = $%[1]d AND status = 'booked'
			UNION SELECT patient_id FROM referrals WHERE (to_practitioner_id = $%[1]d OR accepted_by = $%[1]d)
			AND status NOT IN ('declined', 'withdrawn'))`, f.TreatedBy)
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

// phoneKeySQL is backdesk.PhoneKey of a stored phone (which Validate
// keeps to digits and spacing).
const phoneKeySQL = `ltrim(` + phoneDigitsSQL + `, '0')`

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
			emergency_contact_name, emergency_contact_phone, created_at, search_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			p.Name, p.Email, p.Phone, p.DateOfBirth, p.Address, p.FamilyDoctor, p.EmergencyContactName, p.EmergencyContactPhone,
			formatTime(p.CreatedAt), backdesk.FoldText(p.Name)).Scan(&p.ID)
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
	if p.MergedInto != 0 {
		// Kept as it was for an undo; the person's details live on the
		// record kept.
		return nil, backdesk.Errorf(backdesk.CodeConflict, "This record was merged into patient no. %d; change that record.", p.MergedInto)
	}
	now := db.now()
	changes := upd.Apply(p, now)
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for _, c := range changes {
		if c.Field != "email" {
			continue
		}
		var accounts int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE patient_id = $1`, id).Scan(&accounts); err != nil {
			return nil, fmt.Errorf("update patient: %w", err)
		}
		if accounts > 0 {
			return nil, &backdesk.Error{Code: backdesk.CodeConflict, Field: "email",
				Message: "This patient signs in with their email address: they change it from their own account."}
		}
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
		emergency_contact_name = $5, emergency_contact_phone = $6, consent_treatment_at = $7, consent_email = $8, email = $9 WHERE id = $10`,
		p.Phone, p.DateOfBirth, p.Address, p.FamilyDoctor, p.EmergencyContactName, p.EmergencyContactPhone, consented, email, p.Email, id); err != nil {
		return nil, fmt.Errorf("update patient: %w", err)
	}
	var by int64
	var role backdesk.Role
	if audit != nil {
		by, role = audit.ActorUserID, audit.ActorRole
	}
	readdress := false
	for _, c := range changes {
		readdress = readdress || c.Field == "email" || c.Field == "consent_email"
		if _, err := tx.ExecContext(ctx, `INSERT INTO patient_changes (patient_id, field, old_value, new_value, by_user_id, by_role, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, c.Field, c.OldValue, c.NewValue, nullID(by), string(role), formatTime(now)); err != nil {
			return nil, fmt.Errorf("record patient change: %w", err)
		}
	}
	if readdress {
		if err := readdressPatientMailTx(ctx, tx, id); err != nil {
			return nil, err
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

// fillSearchNames writes the search name of every record kept before
// search names were.
func fillSearchNames(ctx context.Context, tx *sql.Tx) error {
	type named struct {
		id   int64
		name string
	}
	var all []named
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM patients`)
	if err != nil {
		return fmt.Errorf("fill search names: %w", err)
	}
	for rows.Next() {
		var n named
		if err := rows.Scan(&n.id, &n.name); err != nil {
			rows.Close()
			return fmt.Errorf("fill search names: %w", err)
		}
		all = append(all, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fill search names: %w", err)
	}
	for _, n := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE patients SET search_name = $1 WHERE id = $2`, backdesk.FoldText(n.name), n.id); err != nil {
			return fmt.Errorf("fill search names: %w", err)
		}
	}
	return nil
}
