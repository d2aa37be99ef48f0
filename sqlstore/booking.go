package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"backdesk"
)

// bookingColumns ends with the patient's name, read with the booking: whoever
// may see a booking may see whose it is.
const bookingColumns = `id, patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until, status,
	COALESCE(created_by, 0), created_at, cancelled_at, cancel_reason, late_cancellation, COALESCE(rescheduled_from, 0),
	COALESCE((SELECT name FROM patients WHERE patients.id = bookings.patient_id), '')`

func scanBooking(sc scanner) (*backdesk.Booking, error) {
	b := &backdesk.Booking{}
	var cancelled nullTime
	err := sc.Scan(&b.ID, &b.PatientID, &b.PractitionerID, &b.ServiceID, &b.LocationID, dbTime{&b.Start}, dbTime{&b.End}, dbTime{&b.BlocksUntil},
		&b.Status, &b.CreatedBy, dbTime{&b.CreatedAt}, &cancelled, &b.CancelReason, &b.LateCancellation, &b.RescheduledFrom, &b.PatientName)
	b.CancelledAt = cancelled.ptr()
	return b, err
}

// The statements of the booking path (prepared once on SQLite).
const (
	insertBookingQuery = `INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until,
		status, created_by, idempotency_key, created_at, rescheduled_from) VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11) RETURNING id`
	// insertFreeBookingQuery is SQLite's overlap check and insert in one
	// statement: it inserts nothing (no row returned) when a live booking
	// of the practitioner overlaps. $12 (start less maxBookingSpan) bounds
	// the index range below, so it holds only bookings that can overlap, not
	// the practitioner's whole history.
	insertFreeBookingQuery = `INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until,
		status, created_by, idempotency_key, created_at, rescheduled_from)
		SELECT $1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11
		WHERE NOT EXISTS (SELECT 1 FROM bookings WHERE practitioner_id = $2 AND starts_at < $7 AND starts_at > $12
			AND blocks_until > $5 AND status = 'booked') RETURNING id`
)

// findBookingByKeyQuery finds the booking a user made with an idempotency key.
var findBookingByKeyQuery = `SELECT ` + bookingColumns + ` FROM bookings WHERE created_by = $1 AND idempotency_key = $2`

// bookingMailQuery inserts n emails of a booking in one statement.
func bookingMailQuery(n int) string {
	rows := make([]string, n)
	for i := range rows {
		k := 8 * i
		rows[i] = fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, 'pending', $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8)
	}
	return `INSERT INTO outbox (kind, to_addr, subject, body, sensitive, created_at, booking_id, status, send_after) VALUES ` + strings.Join(rows, ", ")
}

// maxBookingSpan is the longest a booking holds its practitioner (a CHECK
// constraint in both databases); it bounds overlap searches.
const maxBookingSpan = 24 * time.Hour

var errSlotTaken = backdesk.Errorf(backdesk.CodeConflict, "That time is no longer available.")

// insertBooking writes b in tx. On SQLite it first looks for an overlapping
// live booking (the single writer makes the look and the write one step);
// on PostgreSQL the exclusion constraint refuses the overlap itself.
func (db *DB) insertBooking(ctx context.Context, tx *sql.Tx, b *backdesk.Booking) error {
	if db.d.name == "sqlite" {
		err := db.queryRow(ctx, tx, insertFreeBookingQuery, append(bookingArgs(b), formatTime(b.Start.Add(-maxBookingSpan)))...).Scan(&b.ID)
		if err == sql.ErrNoRows {
			return errSlotTaken
		} else if err != nil {
			return fmt.Errorf("insert booking: %w", err)
		}
	} else if err := db.queryRow(ctx, tx, insertBookingQuery, bookingArgs(b)...).Scan(&b.ID); err != nil {
		return fmt.Errorf("insert booking: %w", err) // db.tx classifies: an exclusion violation is errSlotTaken's conflict
	}
	b.Status = backdesk.BookingBooked
	return nil
}

// bookingArgs are the parameters of insertBookingQuery.
func bookingArgs(b *backdesk.Booking) []any {
	var key any
	if b.IdempotencyKey != "" {
		key = b.IdempotencyKey
	}
	return []any{b.PatientID, b.PractitionerID, b.ServiceID, b.LocationID, formatTime(b.Start), formatTime(b.End), formatTime(b.BlocksUntil),
		nullID(b.CreatedBy), key, formatTime(b.CreatedAt), nullID(b.RescheduledFrom)}
}

// InsertBooking stores b, or returns the booking already made with the same
// idempotency key by the same user.
func (db *DB) InsertBooking(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage) (bool, error) {
	b.CreatedAt = db.now()
	var created bool
	var err error
	if db.d.name == "postgres" {
		created, err = db.insertBookingPostgres(ctx, b, msgs)
	} else {
		created, err = db.insertBookingSQLite(ctx, b, msgs)
	}
	if backdesk.ErrorCode(err) == backdesk.CodeConflict && b.IdempotencyKey != "" {
		// A concurrent retry with the same key got there first (the slot or
		// the key's unique index said so): answer with its booking.
		if first, ferr := db.FindBookingByIdempotencyKey(ctx, b.CreatedBy, b.IdempotencyKey); ferr == nil {
			*b = *first
			return false, nil
		}
	}
	if err != nil {
		return false, err
	}
	return created, nil
}

// insertBookingSQLite is InsertBooking on SQLite: one transaction on the
// single writer, so the overlap check and the insert cannot interleave.
func (db *DB) insertBookingSQLite(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage) (bool, error) {
	created := true
	err := db.txCreating(ctx, func(ctx context.Context, tx *sql.Tx) (int64, bool, error) {
		if b.IdempotencyKey != "" {
			first, err := scanBooking(tx.QueryRowContext(ctx, findBookingByKeyQuery, nullID(b.CreatedBy), b.IdempotencyKey))
			if err == nil {
				*b = *first
				created = false
				return 0, false, nil
			} else if err != sql.ErrNoRows {
				return 0, false, fmt.Errorf("find idempotent booking: %w", err)
			}
		}
		if err := db.insertBooking(ctx, tx, b); err != nil {
			return 0, false, err
		}
		return b.ID, true, db.writeBookingMail(ctx, tx, b.ID, b.CreatedAt, msgs)
	})
	return created, err
}

// insertBookingPostgres is InsertBooking on PostgreSQL: the booking, its
// emails and the audit line of ctx go in one statement, which PostgreSQL
// runs atomically, so a booking costs one round trip instead of a
// transaction's five. The exclusion constraint guards the slot.
func (db *DB) insertBookingPostgres(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage) (bool, error) {
	if b.IdempotencyKey != "" {
		if first, err := db.FindBookingByIdempotencyKey(ctx, b.CreatedBy, b.IdempotencyKey); err == nil {
			*b = *first
			return false, nil
		} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return false, err
		}
	}
	args := bookingArgs(b)
	stampBookingMail(msgs, b.CreatedAt)
	for _, m := range msgs {
		args = append(args, m.Kind, m.To, m.Subject, m.Body, m.Sensitive, formatTime(m.CreatedAt), formatTime(m.SendAfter))
	}
	e, audited := backdesk.AuditFromContext(ctx)
	if audited {
		e.At = db.now()
		args = append(args, formatTime(e.At), nullID(e.ActorUserID), string(e.ActorRole), e.Action, nullID(e.PatientID), e.Resource, e.ResourceID, e.Source)
	}
	err := db.write.QueryRowContext(ctx, bookingStatementPostgres(len(msgs), audited), args...).Scan(&b.ID)
	if err != nil {
		return false, db.d.classify(fmt.Errorf("insert booking: %w", err))
	}
	b.Status = backdesk.BookingBooked
	for _, m := range msgs {
		m.BookingID = b.ID
	}
	return true, nil
}

// pgBookingStatements holds bookingStatementPostgres for the usual counts of
// emails, built once rather than on every booking.
var pgBookingStatements [4][2]string

func init() {
	for n := range pgBookingStatements {
		pgBookingStatements[n][0] = buildBookingStatementPostgres(n, false)
		pgBookingStatements[n][1] = buildBookingStatementPostgres(n, true)
	}
}

// bookingStatementPostgres is the statement of insertBookingPostgres for n
// emails, with or without an audit line.
func bookingStatementPostgres(n int, audited bool) string {
	if n < len(pgBookingStatements) {
		if audited {
			return pgBookingStatements[n][1]
		}
		return pgBookingStatements[n][0]
	}
	return buildBookingStatementPostgres(n, audited)
}

// buildBookingStatementPostgres writes the statement. Its parameters are the
// booking's 11 (bookingArgs), then 7 per email, then the audit line's 8; an
// empty resource id becomes the new booking's.
func buildBookingStatementPostgres(n int, audited bool) string {
	var q strings.Builder
	q.WriteString(`WITH b AS (` + insertBookingQuery + `)`)
	p := 11
	if n > 0 {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = fmt.Sprintf("($%d::text, $%d::text, $%d::text, $%d::text, $%d::boolean, $%d::timestamptz, $%d::timestamptz)", p+1, p+2, p+3, p+4, p+5, p+6, p+7)
			p += 7
		}
		q.WriteString(`, m AS (INSERT INTO outbox (kind, to_addr, subject, body, sensitive, created_at, booking_id, status, send_after)
		SELECT v.kind, v.to_addr, v.subject, v.body, v.sensitive, v.created_at, b.id, 'pending', v.send_after
		FROM b, (VALUES ` + strings.Join(rows, ", ") + `) AS v (kind, to_addr, subject, body, sensitive, created_at, send_after))`)
	}
	if audited {
		fmt.Fprintf(&q, `, a AS (INSERT INTO audit_log (at, actor_user_id, actor_role, action, patient_id, resource, resource_id, source)
		SELECT $%d::timestamptz, $%d::bigint, $%d::text, $%d::text, $%d::bigint, $%d::text, COALESCE(NULLIF($%d::text, ''), b.id::text), $%d::text FROM b)`, p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8)
	}
	q.WriteString(` SELECT id FROM b`)
	return q.String()
}

// FindBookingByID returns CodeNotFound if there is no such booking.
func (db *DB) FindBookingByID(ctx context.Context, id int64) (*backdesk.Booking, error) {
	b, err := scanBooking(db.read.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find booking: %w", err)
	}
	return b, nil
}

// FindBookingByIdempotencyKey returns the booking createdBy made with key.
func (db *DB) FindBookingByIdempotencyKey(ctx context.Context, createdBy int64, key string) (*backdesk.Booking, error) {
	b, err := scanBooking(db.write.QueryRowContext(ctx, findBookingByKeyQuery, nullID(createdBy), key))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find booking by idempotency key: %w", err)
	}
	return b, nil
}

// FindBookings returns matching bookings, earliest first, and the total.
func (db *DB) FindBookings(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
	var w where
	if f.PatientID != 0 {
		w.add(`patient_id = $%d`, f.PatientID)
	}
	if f.PractitionerID != 0 {
		w.add(`practitioner_id = $%d`, f.PractitionerID)
	}
	if !f.From.IsZero() {
		w.add(`starts_at >= $%d`, formatTime(f.From))
	}
	if !f.To.IsZero() {
		w.add(`starts_at < $%d`, formatTime(f.To))
	}
	if f.Status != "" {
		w.add(`status = $%d`, string(f.Status))
	}
	out := []*backdesk.Booking{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+bookingColumns+`, COUNT(*) OVER () FROM bookings `+w.sql()+` ORDER BY starts_at, id `+limitOffset(f.Page, 200, 1000), w.args,
		func(sc scanner) error {
			var b *backdesk.Booking
			var err error
			b, err = scanBooking(scanWithTotal{sc, &total})
			out = append(out, b)
			return err
		})
	if err != nil {
		return nil, 0, fmt.Errorf("find bookings: %w", err)
	}
	return out, total, nil
}

// scanWithTotal appends a trailing COUNT(*) OVER () column to a scan.
type scanWithTotal struct {
	sc    scanner
	total *int
}

func (s scanWithTotal) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.total)...) }

// BusyIntervals returns live bookings (start to blocks_until) and time off
// overlapping [from, to), per practitioner.
func (db *DB) BusyIntervals(ctx context.Context, practitionerIDs []int64, from, to time.Time) (map[int64][]backdesk.Interval, error) {
	out := map[int64][]backdesk.Interval{}
	if len(practitionerIDs) == 0 {
		return out, nil
	}
	args := []any{formatTime(to), formatTime(from)}
	var in []string
	for _, id := range practitionerIDs {
		args = append(args, id)
		in = append(in, fmt.Sprintf("$%d", len(args)))
	}
	list := strings.Join(in, ", ")
	args = append(args, formatTime(from.Add(-maxBookingSpan)))
	low := fmt.Sprintf("$%d", len(args))
	q := `SELECT practitioner_id, starts_at, blocks_until FROM bookings WHERE practitioner_id IN (` + list + `) AND starts_at < $1 AND starts_at > ` + low + ` AND blocks_until > $2 AND status = 'booked'
		UNION ALL
		SELECT practitioner_id, starts_at, ends_at FROM time_off WHERE starts_at < $1 AND ends_at > $2 AND practitioner_id IN (` + list + `)`
	err := eachRow(ctx, db.read, q, args, func(sc scanner) error {
		var id int64
		var iv backdesk.Interval
		if err := sc.Scan(&id, dbTime{&iv.Start}, dbTime{&iv.End}); err != nil {
			return err
		}
		out[id] = append(out[id], iv)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("busy intervals: %w", err)
	}
	return out, nil
}

func cancelBooking(ctx context.Context, tx *sql.Tx, id int64, at time.Time, reason string, late bool) error {
	if err := dropBookingMail(ctx, tx, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled', cancelled_at = $1, cancel_reason = $2, late_cancellation = $3
		WHERE id = $4 AND status = 'booked'`, formatTime(at), reason, late, id)
	if err != nil {
		return fmt.Errorf("cancel booking: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backdesk.Errorf(backdesk.CodeConflict, "That appointment is already cancelled.")
	}
	return nil
}

// CancelBooking marks a live booking cancelled, drops its pending emails and
// writes msgs.
func (db *DB) CancelBooking(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*backdesk.OutboxMessage) (*backdesk.Booking, error) {
	err := db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := cancelBooking(ctx, tx, id, at, reason, late); err != nil {
			return err
		}
		return db.writeBookingMail(ctx, tx, id, db.now(), msgs)
	})
	if err != nil {
		return nil, err
	}
	return db.FindBookingByID(ctx, id)
}

// RescheduleBooking cancels the old booking and inserts b in one
// transaction: the old time is freed only if the new one is taken.
func (db *DB) RescheduleBooking(ctx context.Context, oldID int64, b *backdesk.Booking, at time.Time, msgs []*backdesk.OutboxMessage) error {
	b.CreatedAt = db.now()
	b.RescheduledFrom = oldID
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := cancelBooking(ctx, tx, oldID, at, "rescheduled", false); err != nil {
			return err
		}
		if err := db.insertBooking(ctx, tx, b); err != nil {
			return err
		}
		return db.writeBookingMail(ctx, tx, b.ID, b.CreatedAt, msgs)
	})
}

// stampBookingMail marks a booking's emails pending, created now, and due
// now unless they say when.
func stampBookingMail(msgs []*backdesk.OutboxMessage, now time.Time) {
	for _, m := range msgs {
		m.CreatedAt, m.Status = now, backdesk.OutboxPending
		if m.SendAfter.IsZero() {
			m.SendAfter = now
		}
	}
}

// writeBookingMail writes a booking's emails in its transaction, as one
// multi-row INSERT (the callers need no ids back).
func (db *DB) writeBookingMail(ctx context.Context, tx *sql.Tx, bookingID int64, now time.Time, msgs []*backdesk.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	stampBookingMail(msgs, now)
	var args []any
	for _, m := range msgs {
		m.BookingID = bookingID
		args = append(args, m.Kind, m.To, m.Subject, m.Body, m.Sensitive, formatTime(now), bookingID, formatTime(m.SendAfter))
	}
	_, err := db.exec(ctx, tx, bookingMailQuery(len(msgs)), args...)
	if err != nil {
		return fmt.Errorf("insert booking mail: %w", err)
	}
	return nil
}

// InsertTimeOff stores a span when a practitioner is away.
func (db *DB) InsertTimeOff(ctx context.Context, t *backdesk.TimeOff) error {
	if !t.Start.Before(t.End) {
		return backdesk.FieldError("end", "time off must end after it starts")
	}
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO time_off (practitioner_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.PractitionerID, formatTime(t.Start), formatTime(t.End), t.Reason).Scan(&t.ID)
	})
}

// FindTimeOff lists a practitioner's time off overlapping [from, to).
func (db *DB) FindTimeOff(ctx context.Context, practitionerID int64, from, to time.Time) ([]*backdesk.TimeOff, error) {
	out := []*backdesk.TimeOff{}
	err := eachRow(ctx, db.read, `SELECT id, practitioner_id, starts_at, ends_at, reason FROM time_off WHERE practitioner_id = $1 AND starts_at < $2 AND ends_at > $3 ORDER BY starts_at`,
		[]any{practitionerID, formatTime(to), formatTime(from)}, func(sc scanner) error {
			t := &backdesk.TimeOff{}
			err := sc.Scan(&t.ID, &t.PractitionerID, dbTime{&t.Start}, dbTime{&t.End}, &t.Reason)
			out = append(out, t)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find time off: %w", err)
	}
	return out, nil
}

// DeleteTimeOff removes a span of time off, only practitionerID's when that
// is not 0; CodeNotFound if there is no such span.
func (db *DB) DeleteTimeOff(ctx context.Context, id, practitionerID int64) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM time_off WHERE id = $1 AND ($2 = 0 OR practitioner_id = $2)`, id, practitionerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return backdesk.Errorf(backdesk.CodeNotFound, "Time off not found.")
		}
		return nil
	})
}

// PractitionerTreats reports whether the two have an appointment, past or
// coming (a cancelled one does not count).
func (db *DB) PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error) {
	if practitionerID == 0 || patientID == 0 {
		return false, nil
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE practitioner_id = $1 AND patient_id = $2 AND status = 'booked'`,
		practitionerID, patientID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("practitioner treats: %w", err)
	}
	return n > 0, nil
}

// treats is the care relationship for the actor of ctx, asked only of
// practitioners.
func (db *DB) treats(ctx context.Context, patientID int64) (bool, error) {
	a := backdesk.ActorFromContext(ctx)
	if a.Role != backdesk.RolePractitioner {
		return false, nil
	}
	return db.PractitionerTreats(ctx, a.PractitionerID, patientID)
}
