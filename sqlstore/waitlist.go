package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"backdesk"
)

const entryColumns = `id, patient_id, discipline, COALESCE(practitioner_id, 0), offering_id, from_date, to_date, weekdays, earliest, latest, status, COALESCE(booking_id, 0), created_at,
	COALESCE((SELECT name FROM patients WHERE patients.id = waitlist_entries.patient_id), ''), contact_note,
	COALESCE((SELECT NOT (` + patientTakesEmail + `) FROM patients p WHERE p.id = waitlist_entries.patient_id), false)`

func scanEntry(sc scanner) (*backdesk.WaitlistEntry, error) {
	e := &backdesk.WaitlistEntry{}
	var days string
	err := sc.Scan(&e.ID, &e.PatientID, &e.Discipline, &e.PractitionerID, &e.ServiceID, dbDate{&e.From}, dbDate{&e.To}, &days,
		&e.Earliest, &e.Latest, &e.Status, &e.BookingID, dbTime{&e.CreatedAt}, &e.PatientName, &e.ContactNote, &e.NoEmail)
	if err == nil {
		var n []int
		err = json.Unmarshal([]byte(days), &n)
		for _, d := range n {
			e.Weekdays = append(e.Weekdays, backdesk.Weekday(d))
		}
	}
	return e, err
}

// InsertWaitlistEntry stores a request; it fills ID, Status and CreatedAt.
// Its weekdays are kept in order, once each, so that the same request
// written another way is the same request (the unique index of migration
// 0011 refuses a second one waiting). With a limit, the patient's row is
// locked and their waiting requests counted in the same transaction.
func (db *DB) InsertWaitlistEntry(ctx context.Context, e *backdesk.WaitlistEntry, audit *backdesk.AuditEntry) error {
	e.CreatedAt, e.Status = db.now(), backdesk.WaitlistWaiting
	slices.Sort(e.Weekdays)
	e.Weekdays = slices.Compact(e.Weekdays)
	days := make([]int, len(e.Weekdays))
	for i, d := range e.Weekdays {
		days[i] = int(d)
	}
	b, _ := json.Marshal(days)
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if e.PatientLimit > 0 {
			var n int
			if _, err := tx.ExecContext(ctx, `SELECT id FROM patients WHERE id = $1`+db.d.forUpdate, e.PatientID); err != nil {
				return 0, fmt.Errorf("lock patient: %w", err)
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM waitlist_entries WHERE patient_id = $1 AND status = 'waiting'`, e.PatientID).Scan(&n); err != nil {
				return 0, fmt.Errorf("count waitlist entries: %w", err)
			}
			if n >= e.PatientLimit {
				return 0, backdesk.ErrLimitReached
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO waitlist_entries (patient_id, discipline, practitioner_id, offering_id, from_date, to_date, weekdays,
			earliest, latest, status, created_at, contact_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'waiting', $10, $11) RETURNING id`,
			e.PatientID, string(e.Discipline), nullID(e.PractitionerID), e.ServiceID, e.From.String(), e.To.String(), string(b),
			int(e.Earliest), int(e.Latest), formatTime(e.CreatedAt), e.ContactNote).Scan(&e.ID)
		return e.ID, err
	}, audit)
	if backdesk.ErrorCode(err) == backdesk.CodeConflict && !errors.Is(err, backdesk.ErrLimitReached) {
		return &backdesk.Error{Code: backdesk.CodeConflict, Message: "That request is already on the waitlist: the same times are waiting to be offered.", Err: err}
	}
	return err
}

// FindWaitlistEntryByID returns CodeNotFound if there is no such request.
func (db *DB) FindWaitlistEntryByID(ctx context.Context, id int64) (*backdesk.WaitlistEntry, error) {
	e, err := scanEntry(db.read.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM waitlist_entries WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Waitlist request not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find waitlist entry: %w", err)
	}
	return e, nil
}

// FindWaitlistEntries lists requests oldest first: the queue order.
func (db *DB) FindWaitlistEntries(ctx context.Context, patientID int64, waitingOnly bool) ([]*backdesk.WaitlistEntry, error) {
	where, args := `WHERE 1 = 1`, []any{}
	if patientID != 0 {
		args = append(args, patientID)
		where += ` AND patient_id = $1`
	}
	if waitingOnly {
		where += ` AND status = 'waiting'`
	}
	out := []*backdesk.WaitlistEntry{}
	err := eachRow(ctx, db.read, `SELECT `+entryColumns+` FROM waitlist_entries `+where+` ORDER BY created_at, id`, args, func(sc scanner) error {
		e, err := scanEntry(sc)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find waitlist entries: %w", err)
	}
	return out, nil
}

// SetWaitlistEntryStatus changes a request's status.
func (db *DB) SetWaitlistEntryStatus(ctx context.Context, id int64, status backdesk.WaitlistStatus, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE waitlist_entries SET status = $1 WHERE id = $2`, string(status), id)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Waitlist request not found.")
		}
		return id, nil
	}, audit)
}

const offerColumns = `id, entry_id, patient_id, offering_id, practitioner_id, location_id, starts_at, ends_at, status, created_at`

func scanOffer(sc scanner) (*backdesk.WaitlistOffer, error) {
	o := &backdesk.WaitlistOffer{}
	err := sc.Scan(&o.ID, &o.EntryID, &o.PatientID, &o.ServiceID, &o.PractitionerID, &o.LocationID, dbTime{&o.Start}, dbTime{&o.End}, &o.Status, dbTime{&o.CreatedAt})
	return o, err
}

// InsertWaitlistOffers stores offers, their emails and their audit lines in
// one transaction. audit[i], when there is one, describes offers[i] and
// takes its id.
func (db *DB) InsertWaitlistOffers(ctx context.Context, offers []*backdesk.WaitlistOffer, msgs []*backdesk.OutboxMessage, audit []*backdesk.AuditEntry) error {
	now := db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		for i, o := range offers {
			o.CreatedAt, o.Status = now, backdesk.OfferOpen
			if err := tx.QueryRowContext(ctx, `INSERT INTO waitlist_offers (entry_id, patient_id, offering_id, practitioner_id, location_id, starts_at, ends_at, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id`, o.EntryID, o.PatientID, o.ServiceID, o.PractitionerID, o.LocationID,
				formatTime(o.Start), formatTime(o.End), formatTime(now)).Scan(&o.ID); err != nil {
				return 0, fmt.Errorf("insert offer: %w", err)
			}
			if i < len(audit) && audit[i] != nil && audit[i].ResourceID == "" {
				audit[i].ResourceID = strconv.FormatInt(o.ID, 10)
			}
		}
		for _, m := range msgs {
			m.CreatedAt = now
			if err := db.insertOutbox(ctx, tx, m); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, audit...)
}

// FindWaitlistOfferByID returns CodeNotFound if there is no such offer.
func (db *DB) FindWaitlistOfferByID(ctx context.Context, id int64) (*backdesk.WaitlistOffer, error) {
	o, err := scanOffer(db.read.QueryRowContext(ctx, `SELECT `+offerColumns+` FROM waitlist_offers WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Offer not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find offer: %w", err)
	}
	return o, nil
}

// FindWaitlistOffers lists a patient's offers, soonest time first.
func (db *DB) FindWaitlistOffers(ctx context.Context, patientID int64, openOnly bool) ([]*backdesk.WaitlistOffer, error) {
	where := `WHERE patient_id = $1`
	if openOnly {
		where += ` AND status = 'open'`
	}
	out := []*backdesk.WaitlistOffer{}
	err := eachRow(ctx, db.read, `SELECT `+offerColumns+` FROM waitlist_offers `+where+` ORDER BY starts_at, id`, []any{patientID}, func(sc scanner) error {
		o, err := scanOffer(sc)
		out = append(out, o)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find offers: %w", err)
	}
	return out, nil
}

// CloseWaitlistOffer closes an open offer; "accepted" also books the entry
// and marks every other open offer of that time "taken".
func (db *DB) CloseWaitlistOffer(ctx context.Context, id int64, status backdesk.OfferStatus, bookingID int64, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var entryID, practitionerID int64
		var start time.Time
		err := tx.QueryRowContext(ctx, `UPDATE waitlist_offers SET status = $1 WHERE id = $2 AND status = 'open' RETURNING entry_id, practitioner_id, starts_at`,
			string(status), id).Scan(&entryID, &practitionerID, dbTime{&start})
		if err == sql.ErrNoRows {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "That offer is no longer open.")
		} else if err != nil {
			return 0, fmt.Errorf("close offer: %w", err)
		}
		if status != backdesk.OfferAccepted {
			return id, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE waitlist_entries SET status = 'booked', booking_id = $1 WHERE id = $2`, bookingID, entryID); err != nil {
			return 0, fmt.Errorf("book entry: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE waitlist_offers SET status = 'taken' WHERE practitioner_id = $1 AND starts_at = $2 AND status = 'open'`, practitionerID, formatTime(start))
		return id, err
	}, audit)
}
