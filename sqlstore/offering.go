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
	o, err := scanOffering(db.read.QueryRowContext(ctx, `SELECT `+offeringColumns+` FROM offerings WHERE id = $1`, id))
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

// CreateOffering stores o; admins only.
func (db *DB) CreateOffering(ctx context.Context, o *backdesk.Offering) error {
	if err := backdesk.RequireRole(ctx, backdesk.RoleAdmin); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	o.CreatedAt = db.now()
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO offerings (name, discipline, description, duration_minutes, buffer_after_minutes,
			price_minor, currency, bookable_online, first_visit, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			o.Name, string(o.Discipline), o.Description, o.DurationMinutes, o.BufferAfterMinutes, o.PriceMinor, o.Currency,
			o.BookableOnline, o.FirstVisit, o.Active, formatTime(o.CreatedAt)).Scan(&o.ID)
		if err != nil {
			return fmt.Errorf("insert service: %w", err)
		}
		return nil
	})
}

// UpdateOffering changes the set fields of upd; admins only.
func (db *DB) UpdateOffering(ctx context.Context, id int64, upd backdesk.OfferingUpdate) (*backdesk.Offering, error) {
	if err := backdesk.RequireRole(ctx, backdesk.RoleAdmin); err != nil {
		return nil, err
	}
	o, err := db.FindOfferingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	upd.Apply(o)
	if err := o.Validate(); err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE offerings SET name = $1, discipline = $2, description = $3, duration_minutes = $4,
			buffer_after_minutes = $5, price_minor = $6, currency = $7, bookable_online = $8, first_visit = $9, active = $10 WHERE id = $11`,
			o.Name, string(o.Discipline), o.Description, o.DurationMinutes, o.BufferAfterMinutes, o.PriceMinor, o.Currency,
			o.BookableOnline, o.FirstVisit, o.Active, id)
		if err != nil {
			return fmt.Errorf("update service: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}
