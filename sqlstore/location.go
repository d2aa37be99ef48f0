package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

const locationColumns = `id, name, address_line1, address_line2, city, region, postcode, phone, email, time_zone, country,
	min_notice_minutes, horizon_days, late_cancel_hours, slot_step_minutes, max_first_visits, map_url, parking, access_notes, created_at`

func scanLocation(sc interface{ Scan(...any) error }) (*backdesk.Location, error) {
	l := &backdesk.Location{Hours: []backdesk.OpeningHours{}, Closures: []backdesk.Closure{}}
	a := &l.Address
	p := &l.Policy
	err := sc.Scan(&l.ID, &l.Name, &a.Line1, &a.Line2, &a.City, &a.Region, &a.Postcode, &l.Phone, &l.Email, &l.TimeZone, &l.Country,
		&p.MinNoticeMinutes, &p.HorizonDays, &p.LateCancelHours, &p.SlotStepMinutes, &p.MaxFirstVisits, &l.MapURL, &l.Parking, &l.Access, dbTime{&l.CreatedAt})
	return l, err
}

// FindLocationByID returns CodeNotFound if there is no such location.
func (db *DB) FindLocationByID(ctx context.Context, id int64) (*backdesk.Location, error) {
	return db.findLocation(ctx, db.hotRead(), id, "")
}

// findLocation reads one location through q, locked with lock.
func (db *DB) findLocation(ctx context.Context, q querier, id int64, lock string) (*backdesk.Location, error) {
	ls, err := db.findLocations(ctx, q, `WHERE id = $1`, lock, id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Location not found.")
	}
	return ls[0], nil
}

// FindLocations returns every location, oldest first.
func (db *DB) FindLocations(ctx context.Context) ([]*backdesk.Location, error) {
	return db.findLocations(ctx, db.hotRead(), ``, ``)
}

func (db *DB) findLocations(ctx context.Context, q querier, where, lock string, args ...any) ([]*backdesk.Location, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+locationColumns+` FROM locations `+where+` ORDER BY id`+lock, args...)
	if err != nil {
		return nil, fmt.Errorf("find locations: %w", err)
	}
	defer rows.Close()
	var out []*backdesk.Location
	byID := map[int64]*backdesk.Location{}
	for rows.Next() {
		l, err := scanLocation(rows)
		if err != nil {
			return nil, fmt.Errorf("find locations: %w", err)
		}
		out = append(out, l)
		byID[l.ID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find locations: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The hours and closures of the locations found, not of every one.
	of := ``
	if where == `WHERE id = $1` {
		of = `WHERE location_id = $1`
	} else if where != `` {
		of = `WHERE location_id IN (SELECT id FROM locations ` + where + `)`
	}
	err = eachRow(ctx, q, `SELECT location_id, weekday, opens, closes FROM location_hours `+of+` ORDER BY location_id, weekday, opens`, args,
		func(sc scanner) error {
			var id int64
			var h backdesk.OpeningHours
			if err := sc.Scan(&id, &h.Weekday, &h.Opens, &h.Closes); err != nil {
				return err
			}
			if l := byID[id]; l != nil {
				l.Hours = append(l.Hours, h)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find location hours: %w", err)
	}
	err = eachRow(ctx, q, `SELECT location_id, from_date, to_date, reason FROM location_closures `+of+` ORDER BY location_id, from_date`, args,
		func(sc scanner) error {
			var id int64
			var c backdesk.Closure
			if err := sc.Scan(&id, dbDate{&c.From}, dbDate{&c.To}, &c.Reason); err != nil {
				return err
			}
			if l := byID[id]; l != nil {
				l.Closures = append(l.Closures, c)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find location closures: %w", err)
	}
	return out, nil
}

// InsertLocation validates and stores l with the audit line.
func (db *DB) InsertLocation(ctx context.Context, l *backdesk.Location, audit *backdesk.AuditEntry) error {
	if l.Policy == (backdesk.BookingPolicy{}) {
		l.Policy = backdesk.DefaultBookingPolicy
	}
	if err := l.Validate(); err != nil {
		return err
	}
	l.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		a := l.Address
		p := l.Policy
		err := tx.QueryRowContext(ctx, `INSERT INTO locations (name, address_line1, address_line2, city, region, postcode, phone, email, time_zone, country,
			min_notice_minutes, horizon_days, late_cancel_hours, slot_step_minutes, map_url, parking, access_notes, created_at, max_first_visits)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
			l.Name, a.Line1, a.Line2, a.City, a.Region, a.Postcode, l.Phone, l.Email, l.TimeZone, l.Country,
			p.MinNoticeMinutes, p.HorizonDays, p.LateCancelHours, p.SlotStepMinutes, l.MapURL, l.Parking, l.Access, formatTime(l.CreatedAt),
			p.MaxFirstVisits).Scan(&l.ID)
		if err != nil {
			return 0, fmt.Errorf("insert location: %w", err)
		}
		return l.ID, replaceLocationChildren(ctx, tx, l)
	}, audit)
}

// UpdateLocation reads the location, applies upd, validates and writes it
// in one transaction (the row locked on PostgreSQL), so that two editors at
// once both keep their changes.
func (db *DB) UpdateLocation(ctx context.Context, id int64, upd backdesk.LocationUpdate, audit *backdesk.AuditEntry) (*backdesk.Location, error) {
	var l *backdesk.Location
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		if l, err = db.findLocation(ctx, tx, id, db.d.forUpdate); err != nil {
			return 0, err
		}
		upd.Apply(l)
		if err := l.Validate(); err != nil {
			return 0, err
		}
		a := l.Address
		p := l.Policy
		_, err = tx.ExecContext(ctx, `UPDATE locations SET name = $1, address_line1 = $2, address_line2 = $3, city = $4, region = $5,
			postcode = $6, phone = $7, email = $8, time_zone = $9, country = $10,
			min_notice_minutes = $11, horizon_days = $12, late_cancel_hours = $13, slot_step_minutes = $14,
			map_url = $15, parking = $16, access_notes = $17, max_first_visits = $18 WHERE id = $19`,
			l.Name, a.Line1, a.Line2, a.City, a.Region, a.Postcode, l.Phone, l.Email, l.TimeZone, l.Country,
			p.MinNoticeMinutes, p.HorizonDays, p.LateCancelHours, p.SlotStepMinutes, l.MapURL, l.Parking, l.Access, p.MaxFirstVisits, id)
		if err != nil {
			return 0, fmt.Errorf("update location: %w", err)
		}
		return id, replaceLocationChildren(ctx, tx, l)
	}, audit)
	if err != nil {
		return nil, err
	}
	return l, nil
}

func replaceLocationChildren(ctx context.Context, tx *sql.Tx, l *backdesk.Location) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM location_hours WHERE location_id = $1`, l.ID); err != nil {
		return fmt.Errorf("replace opening hours: %w", err)
	}
	for _, h := range l.Hours {
		if _, err := tx.ExecContext(ctx, `INSERT INTO location_hours (location_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`,
			l.ID, int(h.Weekday), int(h.Opens), int(h.Closes)); err != nil {
			return fmt.Errorf("insert opening hours: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM location_closures WHERE location_id = $1`, l.ID); err != nil {
		return fmt.Errorf("replace closures: %w", err)
	}
	for _, c := range l.Closures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO location_closures (location_id, from_date, to_date, reason) VALUES ($1, $2, $3, $4)`,
			l.ID, c.From.String(), c.To.String(), c.Reason); err != nil {
			return fmt.Errorf("insert closure: %w", err)
		}
	}
	return nil
}
