package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"backdesk"
)

const practitionerColumns = `id, name, discipline, qualifications, registration_body, registration_number, bio, languages, active, created_at`

// FindPractitionerByID returns CodeNotFound if there is no such practitioner.
func (db *DB) FindPractitionerByID(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
	return db.findPractitioner(ctx, db.hotRead(), id, "")
}

// findPractitioner reads one practitioner through q, locked with lock.
func (db *DB) findPractitioner(ctx context.Context, q querier, id int64, lock string) (*backdesk.Practitioner, error) {
	ps, err := db.findPractitioners(ctx, q, `WHERE id = $1`, lock, []any{id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Practitioner not found.")
	}
	return ps[0], nil
}

// FindPractitioners returns the practitioners matching f, by name.
func (db *DB) FindPractitioners(ctx context.Context, f backdesk.PractitionerFilter) ([]*backdesk.Practitioner, error) {
	where, args := `WHERE 1 = 1`, []any{}
	if f.Discipline != "" {
		args = append(args, string(f.Discipline))
		where += fmt.Sprintf(` AND discipline = $%d`, len(args))
	}
	if f.ActiveOnly {
		args = append(args, true)
		where += fmt.Sprintf(` AND active = $%d`, len(args))
	}
	if f.ServiceID != 0 {
		args = append(args, f.ServiceID)
		where += fmt.Sprintf(` AND id IN (SELECT practitioner_id FROM practitioner_offers WHERE offering_id = $%d)`, len(args))
	}
	if f.LocationID != 0 {
		args = append(args, f.LocationID)
		where += fmt.Sprintf(` AND id IN (SELECT practitioner_id FROM practitioner_offers WHERE location_id = $%d)`, len(args))
	}
	return db.findPractitioners(ctx, db.hotRead(), where, "", args)
}

func (db *DB) findPractitioners(ctx context.Context, q querier, where, lock string, args []any) ([]*backdesk.Practitioner, error) {
	out := []*backdesk.Practitioner{}
	byID := map[int64]*backdesk.Practitioner{}
	err := eachRow(ctx, q, `SELECT `+practitionerColumns+` FROM practitioners `+where+` ORDER BY name, id`+lock, args,
		func(sc scanner) error {
			p := &backdesk.Practitioner{Offers: []backdesk.Offer{}, Hours: []backdesk.WorkingHours{}}
			err := sc.Scan(&p.ID, &p.Name, &p.Discipline, jsonList{&p.Qualifications}, &p.Registration.Body, &p.Registration.Number,
				&p.Bio, jsonList{&p.Languages}, &p.Active, dbTime{&p.CreatedAt})
			out = append(out, p)
			byID[p.ID] = p
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find practitioners: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The offers and hours of the practitioners found, not of everyone.
	of := `WHERE practitioner_id IN (SELECT id FROM practitioners ` + where + `)`
	if where == `WHERE id = $1` {
		of = `WHERE practitioner_id = $1`
	}
	err = eachRow(ctx, q, `SELECT practitioner_id, offering_id, location_id FROM practitioner_offers `+of+` ORDER BY practitioner_id, offering_id, location_id`, args,
		func(sc scanner) error {
			var id int64
			var o backdesk.Offer
			if err := sc.Scan(&id, &o.ServiceID, &o.LocationID); err != nil {
				return err
			}
			if p := byID[id]; p != nil {
				p.Offers = append(p.Offers, o)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find practitioner offers: %w", err)
	}
	err = eachRow(ctx, q, `SELECT practitioner_id, location_id, weekday, starts, ends FROM practitioner_hours `+of+` ORDER BY practitioner_id, weekday, starts`, args,
		func(sc scanner) error {
			var id int64
			var h backdesk.WorkingHours
			if err := sc.Scan(&id, &h.LocationID, &h.Weekday, &h.Starts, &h.Ends); err != nil {
				return err
			}
			if p := byID[id]; p != nil {
				p.Hours = append(p.Hours, h)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find working hours: %w", err)
	}
	return out, nil
}

// InsertPractitioner validates and stores p with its offers and hours.
func (db *DB) InsertPractitioner(ctx context.Context, p *backdesk.Practitioner, audit *backdesk.AuditEntry) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO practitioners (name, discipline, qualifications, registration_body, registration_number,
			bio, languages, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.Name, string(p.Discipline), listValue(p.Qualifications), p.Registration.Body, p.Registration.Number,
			p.Bio, listValue(p.Languages), p.Active, formatTime(p.CreatedAt)).Scan(&p.ID)
		if err != nil {
			return 0, fmt.Errorf("insert practitioner: %w", err)
		}
		return p.ID, replacePractitionerChildren(ctx, tx, p)
	}, audit)
}

// UpdatePractitioner reads, applies upd, validates and writes in one
// transaction (the row locked on PostgreSQL), so that two editors at once
// both keep their changes.
func (db *DB) UpdatePractitioner(ctx context.Context, id int64, upd backdesk.PractitionerUpdate, audit *backdesk.AuditEntry) (*backdesk.Practitioner, error) {
	var p *backdesk.Practitioner
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		if p, err = db.findPractitioner(ctx, tx, id, db.d.forUpdate); err != nil {
			return 0, err
		}
		upd.Apply(p)
		if err := p.Validate(); err != nil {
			return 0, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE practitioners SET name = $1, discipline = $2, qualifications = $3, registration_body = $4,
			registration_number = $5, bio = $6, languages = $7, active = $8 WHERE id = $9`,
			p.Name, string(p.Discipline), listValue(p.Qualifications), p.Registration.Body, p.Registration.Number,
			p.Bio, listValue(p.Languages), p.Active, id)
		if err != nil {
			return 0, fmt.Errorf("update practitioner: %w", err)
		}
		return id, replacePractitionerChildren(ctx, tx, p)
	}, audit)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func replacePractitionerChildren(ctx context.Context, tx *sql.Tx, p *backdesk.Practitioner) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM practitioner_offers WHERE practitioner_id = $1`, p.ID); err != nil {
		return fmt.Errorf("replace offers: %w", err)
	}
	for i, o := range p.Offers {
		// A practitioner offers only services of their own discipline: a
		// massage therapist never a physiotherapy assessment.
		var name, discipline string
		err := tx.QueryRowContext(ctx, `SELECT name, discipline FROM offerings WHERE id = $1`, o.ServiceID).Scan(&name, &discipline)
		if err == sql.ErrNoRows {
			return backdesk.FieldError(fmt.Sprintf("offers[%d].service_id", i), "there is no service %d", o.ServiceID)
		} else if err != nil {
			return fmt.Errorf("check offer: %w", err)
		}
		if !p.Discipline.MayOffer(backdesk.Discipline(discipline)) {
			return backdesk.FieldError(fmt.Sprintf("offers[%d].service_id", i), "%s is a %s and cannot offer %s, a %s service.",
				p.Name, lowerLabel(p.Discipline), name, backdesk.Discipline(discipline).Therapy())
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practitioner_offers (practitioner_id, offering_id, location_id) VALUES ($1, $2, $3)`,
			p.ID, o.ServiceID, o.LocationID); err != nil {
			return fmt.Errorf("insert offer: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practitioner_hours WHERE practitioner_id = $1`, p.ID); err != nil {
		return fmt.Errorf("replace working hours: %w", err)
	}
	for _, h := range p.Hours {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practitioner_hours (practitioner_id, location_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5)`,
			p.ID, h.LocationID, int(h.Weekday), int(h.Starts), int(h.Ends)); err != nil {
			return fmt.Errorf("insert working hours: %w", err)
		}
	}
	return nil
}

// lowerLabel is a discipline as a common noun ("massage therapist").
func lowerLabel(d backdesk.Discipline) string {
	l := d.Label()
	if l == "" {
		return l
	}
	return strings.ToLower(l[:1]) + l[1:]
}
