-- The waitlist: requests to be offered a time that frees up, and offers.
CREATE TABLE waitlist_entries (
	id              INTEGER PRIMARY KEY,
	patient_id      INTEGER NOT NULL REFERENCES patients (id),
	discipline      TEXT NOT NULL,
	practitioner_id INTEGER REFERENCES practitioners (id),
	offering_id     INTEGER NOT NULL REFERENCES offerings (id),
	from_date       TEXT NOT NULL,
	to_date         TEXT NOT NULL,
	weekdays        TEXT NOT NULL,             -- JSON array of weekday numbers
	earliest        INTEGER NOT NULL,
	latest          INTEGER NOT NULL,
	status          TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'cancelled')),
	booking_id      INTEGER REFERENCES bookings (id),
	created_at      TEXT NOT NULL,
	CHECK (from_date <= to_date AND earliest < latest)
);
CREATE INDEX waitlist_entries_waiting ON waitlist_entries (status, to_date);
CREATE INDEX waitlist_entries_patient ON waitlist_entries (patient_id);

CREATE TABLE waitlist_offers (
	id              INTEGER PRIMARY KEY,
	entry_id        INTEGER NOT NULL REFERENCES waitlist_entries (id),
	patient_id      INTEGER NOT NULL REFERENCES patients (id),
	offering_id     INTEGER NOT NULL REFERENCES offerings (id),
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
	location_id     INTEGER NOT NULL REFERENCES locations (id),
	starts_at       TEXT NOT NULL,
	ends_at         TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'taken', 'declined')),
	created_at      TEXT NOT NULL
);
CREATE INDEX waitlist_offers_patient ON waitlist_offers (patient_id, status);
CREATE INDEX waitlist_offers_time ON waitlist_offers (practitioner_id, starts_at);
