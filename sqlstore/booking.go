package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// bookingColumns ends with the patient's name, read with the booking: whoever
// may see a booking may see whose it is.
// It also reads the booking a moved one became (its successor names it in
// rescheduled_from).
const bookingColumns = `id, patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until, status,
	COALESCE(created_by, 0), COALESCE(created_by_token, 0), created_at, cancelled_at, cancel_reason, late_cancellation, COALESCE(rescheduled_from, 0), COALESCE(referral_id, 0),
	COALESCE(assessment_id, ''), COALESCE(series_id, 0), sequence,
	COALESCE((SELECT nb.id FROM bookings nb WHERE nb.rescheduled_from = bookings.id), 0),
	COALESCE((SELECT name FROM patients WHERE patients.id = bookings.patient_id), ''), attendance, COALESCE(attendance_by, 0), attendance_by_name, attendance_at`

func scanBooking(sc scanner) (*backdesk.Booking, error) {
	b := &backdesk.Booking{}
	var cancelled, attended nullTime
	err := sc.Scan(&b.ID, &b.PatientID, &b.PractitionerID, &b.ServiceID, &b.LocationID, dbTime{&b.Start}, dbTime{&b.End}, dbTime{&b.BlocksUntil},
		&b.Status, &b.CreatedBy, &b.CreatedByToken, dbTime{&b.CreatedAt}, &cancelled, &b.CancelReason, &b.LateCancellation, &b.RescheduledFrom, &b.ReferralID,
		&b.AssessmentID, &b.SeriesID, &b.Sequence, &b.RescheduledTo, &b.PatientName, &b.Attendance, &b.AttendanceBy, &b.AttendanceByName, &attended)
	b.CancelledAt, b.AttendanceAt = cancelled.ptr(), attended.ptr()
	return b, err
}

// returningBooking ends each insert of a booking: its id, and its
// patient's name, as a booking read back has it (bookingColumns).
const returningBooking = `RETURNING id, COALESCE((SELECT name FROM patients WHERE patients.id = patient_id), '')`

// The statements of the booking path (prepared once on SQLite).
const (
	insertBookingQuery = `INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until,
		status, created_by, idempotency_key, created_at, rescheduled_from, created_by_token, assessment_id, series_id, sequence)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $12, $13, $14, $15) ` + returningBooking
	// insertFreeBookingQuery is SQLite's overlap check and insert in one
	// statement: it inserts nothing (no row returned) when a live booking
	// of the practitioner, or their time off, overlaps the booking and its
	// buffer. $16 (start less maxBookingSpan) bounds
	// the index range below, so it holds only bookings that can overlap, not
	// the practitioner's whole history.
	insertFreeBookingQuery = `INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until,
		status, created_by, idempotency_key, created_at, rescheduled_from, created_by_token, assessment_id, series_id, sequence)
		SELECT $1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $12, $13, $14, $15
		WHERE NOT EXISTS (SELECT 1 FROM bookings WHERE practitioner_id = $2 AND starts_at < $7 AND starts_at > $16
			AND blocks_until > $5 AND status = 'booked')
		AND NOT EXISTS (SELECT 1 FROM time_off WHERE practitioner_id = $2 AND starts_at < $7 AND ends_at > $5)
		AND EXISTS (` + openPatient + `) ` + returningBooking
	// insertCappedFreeBookingQuery is insertFreeBookingQuery for a patient
	// booking within a limit ($17): it inserts nothing either when the
	// patient already holds that many live bookings starting after now
	// ($10, the booking's creation).
	insertCappedFreeBookingQuery = `INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until,
		status, created_by, idempotency_key, created_at, rescheduled_from, created_by_token, assessment_id, series_id, sequence)
		SELECT $1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $12, $13, $14, $15
		WHERE NOT EXISTS (SELECT 1 FROM bookings WHERE practitioner_id = $2 AND starts_at < $7 AND starts_at > $16
			AND blocks_until > $5 AND status = 'booked')
		AND NOT EXISTS (SELECT 1 FROM time_off WHERE practitioner_id = $2 AND starts_at < $7 AND ends_at > $5)
		AND EXISTS (` + openPatient + `)
		AND (SELECT COUNT(*) FROM bookings WHERE patient_id = $1 AND status = 'booked' AND starts_at > $10) < $17 ` + returningBooking
	// On PostgreSQL a booking within a limit is preceded, in its pipeline,
	// by a lock on the patient's row, so that bookings of one patient made
	// at once are counted one after the other, and by a count ($2, the
	// limit, $3 now) that fails the whole pipeline with SQLSTATE BD001 (the
	// function of migration 0011) when the patient holds as many as they
	// may. (A statement that merely inserted nothing would leave the rest
	// of the pipeline to run.) The lock is openPatientQuery's check taken
	// for update: one statement locks the record and refuses it closed.
	lockPatientQuery = `SELECT CASE WHEN erased_at IS NULL AND merged_into IS NULL THEN 0 ELSE backdesk_patient_closed() END
		FROM patients WHERE id = $1 FOR UPDATE`
	// lockKeyQuery serialises, on PostgreSQL, the bookings one user makes
	// with one idempotency key ($1 names both): without it, two of them at
	// once, each waiting for the other on a different index (the key's
	// unique index, the exclusion constraint), deadlock.
	lockKeyQuery = `SELECT pg_advisory_xact_lock(hashtext($1))`
	// lockPractitionerQuery serialises, on PostgreSQL, the bookings of one
	// practitioner (the key pair (1, id) is its own space, apart from the
	// single keys above): two inserts of overlapping times that met in the
	// exclusion constraint each waited for the other's transaction, and
	// the server aborted one as a deadlock (SQLSTATE 40P01) after a second,
	// answered 500. With the lock the second waits for the first to
	// commit and then finds the time taken.
	lockPractitionerQuery = `SELECT pg_advisory_xact_lock(1, $1::int)`
	// timeOffQuery fails a booking's pipeline on PostgreSQL (SQLSTATE
	// 23P01, as the exclusion constraint does for another booking: the
	// function of migration 0023) when the practitioner ($1) has time off
	// over the booking and its buffer ($2 to $3).
	// openPatientQuery fails a booking's pipeline on PostgreSQL (SQLSTATE
	// BD002: the function of migration 0025) when the patient's record ($1)
	// is erased or merged into another. It reads the record under a
	// key-share lock, which an erasure or a merge under way (each locks the
	// record for update first) makes it wait for; it then reads the record
	// they left. (A plain read, or one that filtered on the columns, would
	// see the record as it was before them and let the booking through.)
	openPatientQuery = `SELECT CASE WHEN erased_at IS NULL AND merged_into IS NULL THEN 0 ELSE backdesk_patient_closed() END
		FROM patients WHERE id = $1 FOR KEY SHARE`
	timeOffQuery           = `SELECT backdesk_time_off_taken() FROM time_off WHERE practitioner_id = $1 AND starts_at < $3 AND ends_at > $2 LIMIT 1`
	checkPatientLimitQuery = `SELECT CASE WHEN COUNT(*) < $2 THEN 0 ELSE backdesk_limit_reached() END
		FROM bookings WHERE patient_id = $1 AND status = 'booked' AND starts_at > $3`
)

// countFutureQuery counts a patient's live bookings that start after $2.
const countFutureQuery = `SELECT COUNT(*) FROM bookings WHERE patient_id = $1 AND status = 'booked' AND starts_at > $2`

// findBookingByKeyQuery finds the booking a user made with an idempotency
// key; findBookingByTokenKeyQuery the one an API token made.
var (
	findBookingByKeyQuery      = `SELECT ` + bookingColumns + ` FROM bookings WHERE created_by = $1 AND idempotency_key = $2`
	findBookingByTokenKeyQuery = `SELECT ` + bookingColumns + ` FROM bookings WHERE created_by_token = $1 AND idempotency_key = $2`
)

// bookingMailStmt inserts a booking's emails in one statement; the booking
// is the chain's new row, or the parameter after the statement's own when
// sqliteChained (writeBookingMail).
func (db *DB) bookingMailStmt(msgs []*backdesk.OutboxMessage) stmt {
	return db.outboxStmt(msgs, newRow, false)
}

// maxBookingSpan is the longest a booking holds its practitioner (a CHECK
// constraint in both databases); it bounds overlap searches.
const maxBookingSpan = 24 * time.Hour

var errSlotTaken = backdesk.Errorf(backdesk.CodeConflict, "That time is no longer available. Please choose another.")

// openPatient is SQLite's condition, in a booking's insert, that the
// patient's record ($1) is neither erased nor merged into another.
const openPatient = `SELECT 1 FROM patients WHERE id = $1 AND erased_at IS NULL AND merged_into IS NULL`

// whyNotInserted names why SQLite's booking insert wrote nothing: the
// record closed (backdesk.ErrRecordClosed: erased or merged after the
// service's own check, which a concurrent erasure or merge can overtake),
// or (with a limit) the patient holding as many as they may, or else the
// time gone.
func (db *DB) whyNotInserted(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, b *backdesk.Booking) error {
	var open int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+openPatient+`) o`, b.PatientID).Scan(&open); err == nil && open == 0 {
		return backdesk.ErrRecordClosed
	}
	var n int
	if b.PatientLimit > 0 && q.QueryRowContext(ctx, countFutureQuery, b.PatientID, formatTime(b.CreatedAt)).Scan(&n) == nil && n >= b.PatientLimit {
		return backdesk.ErrLimitReached
	}
	return errSlotTaken
}

// insertBookingStmt is the statement that writes b, refusing an overlap:
// on SQLite it looks for an overlapping live booking or time off in the
// same statement (the single writer makes the look and the write one
// step), returning no row when there is one; on PostgreSQL the exclusion
// constraint refuses an overlapping booking, and timeOffQuery, run before
// it under the practitioner's lock, the time off.
func (db *DB) insertBookingStmt(b *backdesk.Booking) stmt {
	var key any
	if b.IdempotencyKey != "" {
		key = b.IdempotencyKey
	}
	var assessment any
	if b.AssessmentID != "" {
		assessment = b.AssessmentID
	}
	args := []any{b.PatientID, b.PractitionerID, b.ServiceID, b.LocationID, formatTime(b.Start), formatTime(b.End), formatTime(b.BlocksUntil),
		nullID(b.CreatedBy), key, formatTime(b.CreatedAt), nullID(b.RescheduledFrom), nullID(b.CreatedByToken), assessment, nullID(b.SeriesID), b.Sequence}
	switch {
	case db.d.name == "sqlite" && b.PatientLimit > 0:
		return stmt{insertCappedFreeBookingQuery, append(args, formatTime(b.Start.Add(-maxBookingSpan)), b.PatientLimit)}
	case db.d.name == "sqlite":
		return stmt{insertFreeBookingQuery, append(args, formatTime(b.Start.Add(-maxBookingSpan)))}
	}
	return stmt{insertBookingQuery, args}
}

// timeOffArgs are timeOffQuery's arguments for b.
func timeOffArgs(b *backdesk.Booking) []any {
	return []any{b.PractitionerID, formatTime(b.Start), formatTime(b.BlocksUntil)}
}

// openPatientTx is, for a booking written in a transaction of its own (a
// move, a referral's booking), the pipeline's openPatientQuery on
// PostgreSQL, run where the pipeline runs it: before the practitioners'
// locks and before the transaction changes anything. An erasure or a merge
// locks the record first and then changes its appointments and emails; a
// move that had already cancelled its old time (holding that row and its
// emails) when it came to wait for the record made the two wait for each
// other, and the server aborted one as a deadlock (SQLSTATE 40P01).
// insertBooking then reads the record it has locked (SQLite's insert looks
// at it in its own statement).
func (db *DB) openPatientTx(ctx context.Context, tx *sql.Tx, patientID int64) error {
	if db.d.name != "postgres" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, openPatientQuery, patientID); err != nil {
		return fmt.Errorf("insert booking: %w", err) // classified as backdesk.ErrRecordClosed
	}
	return nil
}

// insertBooking writes b in tx (the booking of a reschedule, or of a
// referral), after openPatientTx.
func (db *DB) insertBooking(ctx context.Context, tx *sql.Tx, b *backdesk.Booking) error {
	if db.d.name == "postgres" {
		if _, err := tx.ExecContext(ctx, timeOffQuery, timeOffArgs(b)...); err != nil {
			return fmt.Errorf("insert booking: %w", err) // classified as errSlotTaken's conflict
		}
	}
	st := db.insertBookingStmt(b)
	if err := db.queryRow(ctx, tx, st.sql, st.args...).Scan(&b.ID, &b.PatientName); err == sql.ErrNoRows {
		return db.whyNotInserted(ctx, tx, b)
	} else if err != nil {
		return fmt.Errorf("insert booking: %w", err) // change classifies: an exclusion violation is errSlotTaken's conflict
	}
	b.Status = backdesk.BookingBooked
	return nil
}

// InsertBooking stores b with its emails and audit line as one chain (one
// round trip on PostgreSQL). A time that has gone is CodeConflict, unless
// b carries an idempotency key that b.CreatedBy has already used: then the
// conflict was this request's own first booking (the slot or the key's
// unique index said so), and that booking is the answer.
func (db *DB) InsertBooking(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (bool, error) {
	b.CreatedAt = db.now()
	var id int64
	var err error
	if b.ReferralID != 0 {
		id, err = db.insertReferralBooking(ctx, b, msgs, audit)
	} else {
		var rest []stmt
		if len(msgs) > 0 {
			stampBookingMail(msgs, b.CreatedAt)
			rest = append(rest, db.bookingMailStmt(msgs))
		}
		ev := *b
		ev.Status = backdesk.BookingBooked
		rest = append(rest, db.eventStmts(backdesk.EventAppointmentBooked, "", true, bookingEvent(&ev), b.CreatedAt)...)
		var before []stmt
		if b.IdempotencyKey != "" && db.d.name == "postgres" {
			before = append(before, stmt{lockKeyQuery, []any{bookingKeyLock(b)}})
		}
		if db.d.name == "postgres" {
			// The record, locked and checked open: for update within a
			// limit (which counts after it), else under a key share.
			if b.PatientLimit > 0 {
				before = append(before, stmt{lockPatientQuery, []any{b.PatientID}},
					stmt{checkPatientLimitQuery, []any{b.PatientID, b.PatientLimit, formatTime(b.CreatedAt)}})
			} else {
				before = append(before, stmt{openPatientQuery, []any{b.PatientID}})
			}
			before = append(before, stmt{lockPractitionerQuery, []any{b.PractitionerID}}, stmt{timeOffQuery, timeOffArgs(b)})
		}
		id, err = db.chainAfter(ctx, "bookings", before, db.insertBookingStmt(b), rest, audit, &b.PatientName)
		if err == sql.ErrNoRows {
			// Nothing was written (SQLite).
			err = db.whyNotInserted(ctx, db.write, b)
		}
	}
	if backdesk.ErrorCode(err) == backdesk.CodeConflict && b.IdempotencyKey != "" {
		if first, ferr := db.FindBookingByIdempotencyKey(ctx, b.CreatedBy, b.CreatedByToken, b.IdempotencyKey); ferr == nil {
			*b = *first
			return false, nil
		}
	}
	if err != nil {
		return false, err
	}
	b.ID, b.Status = id, backdesk.BookingBooked
	for _, m := range msgs {
		m.BookingID = id
	}
	return true, nil
}

// insertReferralBooking books b from its referral: the booking, its
// emails, the link both ways and the referral's move to booked, in one
// transaction (not the chain: the referral must be read and checked).
func (db *DB) insertReferralBooking(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (int64, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if err := db.bookingLimitTx(ctx, tx, b); err != nil {
			return 0, err
		}
		if err := db.openPatientTx(ctx, tx, b.PatientID); err != nil {
			return 0, err
		}
		if err := db.lockPractitionersTx(ctx, tx, b.PractitionerID); err != nil {
			return 0, err
		}
		if err := db.insertBooking(ctx, tx, b); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET referral_id = $1 WHERE id = $2`, b.ReferralID, b.ID); err != nil {
			return 0, fmt.Errorf("link booking to referral: %w", err)
		}
		if err := db.emitBookingTx(ctx, tx, backdesk.EventAppointmentBooked, b.ID); err != nil {
			return 0, err
		}
		if err := db.transitionReferralTx(ctx, tx, b.ReferralID, backdesk.ReferralTransition{Action: backdesk.ReferralBook, BookingID: b.ID}, audit); err != nil {
			return 0, err
		}
		return b.ID, db.writeBookingMail(ctx, tx, b.ID, b.CreatedAt, msgs)
	}, audit)
	if err != nil {
		b.ID = 0
		return 0, err
	}
	return b.ID, nil
}

// bookingKeyLock names the advisory lock of b's idempotency key.
func bookingKeyLock(b *backdesk.Booking) string {
	return fmt.Sprintf("booking key %d %d %s", b.CreatedBy, b.CreatedByToken, b.IdempotencyKey)
}

// bookingLimitTx is, for a booking written in a transaction of its own
// (one from a referral), what the pipeline's first statements are for the
// others: on PostgreSQL the lock on its idempotency key, and with a
// limit, the lock on the patient's row and the count (ErrLimitReached
// past it); on SQLite, whose single writer serialises it, the count.
func (db *DB) bookingLimitTx(ctx context.Context, tx *sql.Tx, b *backdesk.Booking) error {
	if b.IdempotencyKey != "" && db.d.name == "postgres" {
		if _, err := tx.ExecContext(ctx, lockKeyQuery, bookingKeyLock(b)); err != nil {
			return fmt.Errorf("lock idempotency key: %w", err)
		}
	}
	if b.PatientLimit <= 0 {
		return nil
	}
	if db.d.name == "postgres" {
		if _, err := tx.ExecContext(ctx, lockPatientQuery, b.PatientID); err != nil {
			return fmt.Errorf("lock patient: %w", err) // a closed record: classified as backdesk.ErrRecordClosed
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, countFutureQuery, b.PatientID, formatTime(b.CreatedAt)).Scan(&n); err != nil {
		return fmt.Errorf("count bookings: %w", err)
	}
	if n >= b.PatientLimit {
		return backdesk.ErrLimitReached
	}
	return nil
}

// FindBookingByID returns CodeNotFound if there is no such booking.
func (db *DB) FindBookingByID(ctx context.Context, id int64) (*backdesk.Booking, error) {
	b, err := scanBooking(db.hotRead().QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find booking: %w", err)
	}
	return b, nil
}

// FindBookingByIdempotencyKey returns the booking createdBy (or the token
// createdByToken) made with key.
func (db *DB) FindBookingByIdempotencyKey(ctx context.Context, createdBy, createdByToken int64, key string) (*backdesk.Booking, error) {
	q, by := findBookingByKeyQuery, createdBy
	if createdByToken != 0 {
		q, by = findBookingByTokenKeyQuery, createdByToken
	}
	b, err := scanBooking(db.write.QueryRowContext(ctx, q, nullID(by), key))
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
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), f.Page, `bookings `+w.sql(), w.args, &total)
	}
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

// scanWithExtra scans extra columns after a row's own.
type scanWithExtra struct {
	sc    scanner
	extra []any
}

func (s scanWithExtra) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }

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
	err := eachRow(ctx, db.hotRead(), q, args, func(sc scanner) error {
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
func (db *DB) CancelBooking(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (*backdesk.Booking, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if err := cancelBooking(ctx, tx, id, at, reason, late); err != nil {
			return 0, err
		}
		if err := db.unbookReferralTx(ctx, tx, id, audit); err != nil {
			return 0, err
		}
		if err := db.emitBookingTx(ctx, tx, backdesk.EventAppointmentCancelled, id); err != nil {
			return 0, err
		}
		return id, db.writeBookingMail(ctx, tx, id, db.now(), msgs)
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindBookingByID(ctx, id)
}

// RescheduleBooking cancels the old booking and inserts b in one
// transaction: the old time is freed only if the new one is taken.
func (db *DB) RescheduleBooking(ctx context.Context, oldID int64, b *backdesk.Booking, at time.Time, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) error {
	b.CreatedAt = db.now()
	b.RescheduledFrom = oldID
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		// The patient's record first, as a booking's pipeline reads it
		// (openPatientTx); then both diaries, before the old booking's
		// row: a booking of the old time waiting on this cancellation
		// holds neither.
		if err := db.openPatientTx(ctx, tx, b.PatientID); err != nil {
			return 0, err
		}
		var oldPractitioner int64
		if err := tx.QueryRowContext(ctx, `SELECT practitioner_id FROM bookings WHERE id = $1`, oldID).Scan(&oldPractitioner); err != nil && err != sql.ErrNoRows {
			return 0, fmt.Errorf("reschedule: %w", err)
		}
		if err := db.lockPractitionersTx(ctx, tx, oldPractitioner, b.PractitionerID); err != nil {
			return 0, err
		}
		if err := cancelBooking(ctx, tx, oldID, at, "rescheduled", false); err != nil {
			return 0, err
		}
		if err := db.insertBooking(ctx, tx, b); err != nil {
			return 0, err
		}
		if err := moveReferralTx(ctx, tx, oldID, b); err != nil {
			return 0, err
		}
		if err := moveDraftNoteTx(ctx, tx, oldID, b); err != nil {
			return 0, err
		}
		if err := db.emitTx(ctx, tx, backdesk.EventAppointmentRescheduled, strconv.FormatInt(b.ID, 10), bookingEvent(b)); err != nil {
			return 0, err
		}
		return 0, db.writeBookingMail(ctx, tx, b.ID, b.CreatedAt, msgs)
	}, audit)
}

// moveReferralTx carries a booking's referral link to the booking that
// replaces it: the new appointment names the referral, and a referral
// booked on the old one is booked on the new one.
func moveReferralTx(ctx context.Context, tx *sql.Tx, oldID int64, b *backdesk.Booking) error {
	var referralID sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT referral_id FROM bookings WHERE id = $1`, oldID).Scan(&referralID); err != nil {
		return fmt.Errorf("read referral of booking: %w", err)
	}
	if !referralID.Valid {
		return nil
	}
	b.ReferralID = referralID.Int64
	if _, err := tx.ExecContext(ctx, `UPDATE bookings SET referral_id = $1 WHERE id = $2`, b.ReferralID, b.ID); err != nil {
		return fmt.Errorf("link booking to referral: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE referrals SET booking_id = $1 WHERE id = $2 AND booking_id = $3 AND status = 'booked'`, b.ID, b.ReferralID, oldID); err != nil {
		return fmt.Errorf("move referral to booking: %w", err)
	}
	return nil
}

// moveDraftNoteTx carries the draft clinical note of a booking to the
// booking that replaces it, when the appointment stays with the same
// practitioner (the draft's author). A signed note stays where it was
// signed: signed rows never change.
func moveDraftNoteTx(ctx context.Context, tx *sql.Tx, oldID int64, b *backdesk.Booking) error {
	if _, err := tx.ExecContext(ctx, `UPDATE clinical_notes SET booking_id = $1 WHERE booking_id = $2 AND status = 'draft' AND practitioner_id = $3`,
		b.ID, oldID, b.PractitionerID); err != nil {
		return fmt.Errorf("move draft note to booking: %w", err)
	}
	return nil
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
	st := db.bookingMailStmt(msgs)
	if _, err := db.exec(ctx, tx, sqliteChained(st), append(st.args, bookingID)...); err != nil {
		return fmt.Errorf("insert booking mail: %w", err)
	}
	for _, m := range msgs {
		m.BookingID = bookingID
	}
	return nil
}

// InsertTimeOff stores a span when a practitioner is away.
func (db *DB) InsertTimeOff(ctx context.Context, t *backdesk.TimeOff, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) error {
	if !t.Start.Before(t.End) {
		return backdesk.FieldError("end", "time off must end after it starts")
	}
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO time_off (practitioner_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.PractitionerID, formatTime(t.Start), formatTime(t.End), t.Reason).Scan(&t.ID)
		if err != nil {
			return 0, err
		}
		now := db.now()
		for _, m := range msgs {
			m.CreatedAt = now
			if err := db.insertOutbox(ctx, tx, m); err != nil {
				return 0, err
			}
		}
		return t.ID, nil
	}, audit)
}

const timeOffColumns = `id, practitioner_id, starts_at, ends_at, reason`

func scanTimeOff(sc scanner) (*backdesk.TimeOff, error) {
	t := &backdesk.TimeOff{}
	return t, sc.Scan(&t.ID, &t.PractitionerID, dbTime{&t.Start}, dbTime{&t.End}, &t.Reason)
}

// FindTimeOffByID returns CodeNotFound if there is no such span.
func (db *DB) FindTimeOffByID(ctx context.Context, id int64) (*backdesk.TimeOff, error) {
	t, err := scanTimeOff(db.read.QueryRowContext(ctx, `SELECT `+timeOffColumns+` FROM time_off WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Time off not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find time off: %w", err)
	}
	return t, nil
}

// FindTimeOff lists a practitioner's time off overlapping [from, to).
func (db *DB) FindTimeOff(ctx context.Context, practitionerID int64, from, to time.Time) ([]*backdesk.TimeOff, error) {
	out := []*backdesk.TimeOff{}
	err := eachRow(ctx, db.read, `SELECT `+timeOffColumns+` FROM time_off WHERE practitioner_id = $1 AND starts_at < $2 AND ends_at > $3 ORDER BY starts_at`,
		[]any{practitionerID, formatTime(to), formatTime(from)}, func(sc scanner) error {
			t, err := scanTimeOff(sc)
			out = append(out, t)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find time off: %w", err)
	}
	return out, nil
}

// DeleteTimeOff removes a span of time off; CodeNotFound if there is none.
func (db *DB) DeleteTimeOff(ctx context.Context, id int64, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM time_off WHERE id = $1`, id)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Time off not found.")
		}
		return id, nil
	}, audit)
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

// FindBookingsToMove lists the live appointments in f's window that
// overlap their practitioner's time off or a closed day of their location,
// or whose practitioner takes no appointments, earliest first.
func (db *DB) FindBookingsToMove(ctx context.Context, f backdesk.MoveFilter) ([]*backdesk.BookingToMove, error) {
	w := where{conds: []string{`status = 'booked'`}}
	w.add(`ends_at > $%d`, formatTime(f.From))
	if !f.To.IsZero() {
		w.add(`starts_at < $%d`, formatTime(f.To))
	}
	if f.PractitionerID != 0 {
		w.add(`practitioner_id = $%d`, f.PractitionerID)
	}
	const away = `FROM time_off t WHERE t.practitioner_id = bookings.practitioner_id AND t.starts_at < bookings.ends_at AND t.ends_at > bookings.starts_at`
	type row struct {
		b        *backdesk.Booking
		away     bool
		note     string
		inactive bool
	}
	var rows []row
	err := eachRow(ctx, db.read, `SELECT `+bookingColumns+`, EXISTS (SELECT 1 `+away+`),
		COALESCE((SELECT t.reason `+away+` ORDER BY t.starts_at LIMIT 1), ''),
		COALESCE((SELECT NOT p.active FROM practitioners p WHERE p.id = bookings.practitioner_id), false)
		FROM bookings `+w.sql()+` ORDER BY starts_at, id`, w.args, func(sc scanner) error {
		var r row
		var err error
		r.b, err = scanBooking(scanWithExtra{sc, []any{&r.away, &r.note, &r.inactive}})
		rows = append(rows, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find bookings to move: %w", err)
	}
	locations, err := db.FindLocations(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*backdesk.Location{}
	for _, l := range locations {
		byID[l.ID] = l
	}
	out := []*backdesk.BookingToMove{}
	for _, r := range rows {
		m := &backdesk.BookingToMove{Booking: r.b}
		if r.away {
			m.Reasons, m.Note = append(m.Reasons, backdesk.MoveTimeOff), r.note
		}
		if l := byID[r.b.LocationID]; l != nil {
			zone, err := l.Zone()
			if err != nil {
				return nil, err
			}
			for _, c := range l.Closures {
				if c.From.Start(zone).Before(r.b.End) && r.b.Start.Before(c.To.AddDays(1).Start(zone)) {
					m.Reasons = append(m.Reasons, backdesk.MoveClosed)
					if m.Note == "" {
						m.Note = c.Reason
					}
					break
				}
			}
		}
		if r.inactive {
			m.Reasons = append(m.Reasons, backdesk.MovePractitionerOff)
		}
		if len(m.Reasons) > 0 {
			out = append(out, m)
		}
	}
	return out, nil
}

// PractitionerPatients lists the patients the practitioner has, or had, a
// live appointment with, in ascending order.
func (db *DB) PractitionerPatients(ctx context.Context, practitionerID int64) ([]int64, error) {
	out := []int64{}
	err := eachRow(ctx, db.read, `SELECT DISTINCT patient_id FROM bookings WHERE practitioner_id = $1 AND status = 'booked' ORDER BY patient_id`,
		[]any{practitionerID}, func(sc scanner) error {
			var id int64
			err := sc.Scan(&id)
			out = append(out, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("practitioner patients: %w", err)
	}
	return out, nil
}

// SetAttendance records whether the patient came, after checking the
// change against the booking as it stands, in one transaction with the
// audit line.
func (db *DB) SetAttendance(ctx context.Context, id int64, status backdesk.Attendance, byName string, now time.Time, audit *backdesk.AuditEntry) (*backdesk.Booking, error) {
	var b *backdesk.Booking
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var err error
		b, err = scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`+db.d.forUpdate, id))
		if err == sql.ErrNoRows {
			return 0, errNoBooking
		} else if err != nil {
			return 0, fmt.Errorf("set attendance: %w", err)
		}
		if b.Status != backdesk.BookingBooked {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This appointment is cancelled.")
		}
		if err := backdesk.CheckAttendance(b.Attendance, status, b.Start, now); err != nil {
			return 0, err
		}
		var by int64
		if audit != nil {
			by = audit.ActorUserID
			audit.PatientID = b.PatientID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET attendance = $1, attendance_by = $2, attendance_at = $3, attendance_by_name = $4 WHERE id = $5`,
			string(status), nullID(by), formatTime(now), byName, id); err != nil {
			return 0, fmt.Errorf("set attendance: %w", err)
		}
		at := now.UTC()
		b.Attendance, b.AttendanceBy, b.AttendanceByName, b.AttendanceAt = status, by, byName, &at
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return b, nil
}

var errNoBooking = backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")

// lockPractitionersTx takes, on PostgreSQL, the booking locks of the
// practitioners (lockPractitionerQuery) in the order of their ids, so that
// two transactions taking two of them never wait for each other.
func (db *DB) lockPractitionersTx(ctx context.Context, tx *sql.Tx, ids ...int64) error {
	if db.d.name != "postgres" {
		return nil
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if id == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, lockPractitionerQuery, id); err != nil {
			return fmt.Errorf("lock practitioner: %w", err)
		}
	}
	return nil
}
