package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

const offeringColumns = `id, name, discipline, description, duration_minutes, buffer_after_minutes, price_minor, currency, bookable_online, first_visit, active, created_at`

func scanOffering(sc scanner) (*backdesk.Offering, error) {
	o := &backdesk.Offering{}
	err := sc.Scan(&o.ID, &o.Name, &o.Discipline, &o.Description, &o.DurationMinutes, &o.BufferAfterMinutes,
		&o.PriceMinor, &o.Currency, &o.BookableOnline, &o.FirstVisit, &o.Active, dbTime{&o.CreatedAt})
	return o, err
}

// FindOfferingByID returns CodeNotFound if there is no such service.
func (db *DB) FindOfferingByID(ctx context.Context, id int64) (*backdesk.Offering, error) {
	return db.findOffering(ctx, db.hotRead(), id, "")
}

// findOffering reads one service through q, locked with lock.
func (db *DB) findOffering(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, id int64, lock string) (*backdesk.Offering, error) {
	o, err := scanOffering(q.QueryRowContext(ctx, `SELECT `+offeringColumns+` FROM offerings WHERE id = $1`+lock, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Service not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find service: %w", err)
	}
	return o, nil
}

// FindOfferings returns the services matching f, by discipline then name.
func (db *DB) FindOfferings(ctx context.Context, f backdesk.OfferingFilter) ([]*backdesk.Offering, error) {
	where, args := `WHERE 1 = 1`, []any{}
	if f.Discipline != "" {
		args = append(args, string(f.Discipline))
		where += fmt.Sprintf(` AND discipline = $%d`, len(args))
	}
	if f.ActiveOnly {
		args = append(args, true)
		where += fmt.Sprintf(` AND active = $%d`, len(args))
	}
	out := []*backdesk.Offering{}
	err := eachRow(ctx, db.read, `SELECT `+offeringColumns+` FROM offerings `+where+` ORDER BY discipline, first_visit DESC, name, id`, args,
		func(sc scanner) error {
			o, err := scanOffering(sc)
			out = append(out, o)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find services: %w", err)
	}
	return out, nil
}

// InsertOffering validates and stores o with the audit line.
func (db *DB) InsertOffering(ctx context.Context, o *backdesk.Offering, audit *backdesk.AuditEntry) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO offerings (name, discipline, description, duration_minutes, buffer_after_minutes,
			price_minor, currency, bookable_online, first_visit, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			o.Name, string(o.Discipline), o.Description, o.DurationMinutes, o.BufferAfterMinutes, o.PriceMinor, o.Currency,
			o.BookableOnline, o.FirstVisit, o.Active, formatTime(o.CreatedAt)).Scan(&o.ID)
		if err != nil {
			return 0, fmt.Errorf("insert service: %w", err)
		}
		return o.ID, nil
	}, audit)
}

// UpdateOffering reads, applies upd, validates and writes in one
// transaction (the row locked on PostgreSQL), so that two editors at once
// both keep their changes.
func (db *DB) UpdateOffering(ctx context.Context, id int64, upd backdesk.OfferingUpdate, audit *backdesk.AuditEntry) (*backdesk.Offering, error) {
	var o *backdesk.Offering
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		if o, err = db.findOffering(ctx, tx, id, db.d.forUpdate); err != nil {
			return 0, err
		}
		before := o.Discipline
		upd.Apply(o)
		if err := o.Validate(); err != nil {
			return 0, err
		}
		if o.Discipline != before {
			// Its practitioners are of its discipline: a service they
			// offer keeps it.
			var who []struct {
				name       string
				discipline backdesk.Discipline
			}
			err := eachRow(ctx, tx, `SELECT p.name, p.discipline FROM practitioner_offers po JOIN practitioners p ON p.id = po.practitioner_id
				WHERE po.offering_id = $1 ORDER BY p.name`, []any{id}, func(sc scanner) error {
				who = append(who, struct {
					name       string
					discipline backdesk.Discipline
				}{})
				return sc.Scan(&who[len(who)-1].name, &who[len(who)-1].discipline)
			})
			if err != nil {
				return 0, fmt.Errorf("check service discipline: %w", err)
			}
			for _, w := range who {
				if !w.discipline.MayOffer(o.Discipline) {
					return 0, backdesk.FieldError("discipline", "%s offers this service and is not a %s: take it off their services first.",
						w.name, lowerLabel(o.Discipline))
				}
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE offerings SET name = $1, discipline = $2, description = $3, duration_minutes = $4,
			buffer_after_minutes = $5, price_minor = $6, currency = $7, bookable_online = $8, first_visit = $9, active = $10 WHERE id = $11`,
			o.Name, string(o.Discipline), o.Description, o.DurationMinutes, o.BufferAfterMinutes, o.PriceMinor, o.Currency,
			o.BookableOnline, o.FirstVisit, o.Active, id)
		if err != nil {
			return 0, fmt.Errorf("update service: %w", err)
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return o, nil
}
