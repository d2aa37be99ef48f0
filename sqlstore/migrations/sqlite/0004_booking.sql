-- Availability and booking.

ALTER TABLE locations ADD COLUMN min_notice_minutes INTEGER NOT NULL DEFAULT 120;
ALTER TABLE locations ADD COLUMN horizon_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE locations ADD COLUMN late_cancel_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE locations ADD COLUMN slot_step_minutes INTEGER NOT NULL DEFAULT 15;

CREATE TABLE time_off (
	id              INTEGER PRIMARY KEY,
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
	starts_at       TEXT NOT NULL,
	ends_at         TEXT NOT NULL,
	reason          TEXT NOT NULL DEFAULT '',
	CHECK (starts_at < ends_at)
);
CREATE INDEX time_off_practitioner ON time_off (practitioner_id, starts_at);

-- A booking holds its practitioner from starts_at until blocks_until
-- (its end plus the service's buffer). SQLite has no exclusion
-- constraint: the overlap check and the insert run in one write
-- transaction on the single writer connection.
CREATE TABLE bookings (
	id                 INTEGER PRIMARY KEY,
	patient_id         INTEGER NOT NULL REFERENCES patients (id),
	practitioner_id    INTEGER NOT NULL REFERENCES practitioners (id),
	offering_id        INTEGER NOT NULL REFERENCES offerings (id),
	location_id        INTEGER NOT NULL REFERENCES locations (id),
	starts_at          TEXT NOT NULL,
	ends_at            TEXT NOT NULL,
	blocks_until       TEXT NOT NULL,
	status             TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
	created_by         INTEGER,              -- the user who booked (the patient, or staff)
	idempotency_key    TEXT,
	created_at         TEXT NOT NULL,
	cancelled_at       TEXT,
	cancel_reason      TEXT NOT NULL DEFAULT '',
	late_cancellation  INTEGER NOT NULL DEFAULT 0,
	rescheduled_from   INTEGER REFERENCES bookings (id),
	CHECK (starts_at < ends_at AND ends_at <= blocks_until),
	-- No booking holds its practitioner for more than a day: the overlap and
	-- availability queries rely on it to bound their index range.
	CHECK (julianday(blocks_until) - julianday(starts_at) <= 1)
);
CREATE INDEX bookings_practitioner ON bookings (practitioner_id, starts_at);
CREATE INDEX bookings_patient ON bookings (patient_id, starts_at);
CREATE UNIQUE INDEX bookings_idempotency ON bookings (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
