-- The clinic catalogue, accounts and sessions.
-- Instants are TEXT in the fixed-width UTC form 2006-01-02T15:04:05.000000Z.

CREATE TABLE locations (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	address_line1 TEXT NOT NULL,
	address_line2 TEXT NOT NULL DEFAULT '',
	city          TEXT NOT NULL,
	region        TEXT NOT NULL DEFAULT '',
	postcode      TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	time_zone     TEXT NOT NULL,
	country       TEXT NOT NULL CHECK (length(country) = 2),
	created_at    TEXT NOT NULL
);

CREATE TABLE location_hours (
	location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
	weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	opens       INTEGER NOT NULL CHECK (opens >= 0),
	closes      INTEGER NOT NULL CHECK (closes <= 1440),
	CHECK (opens < closes)
);
CREATE INDEX location_hours_location ON location_hours (location_id);

CREATE TABLE location_closures (
	location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
	from_date   TEXT NOT NULL,
	to_date     TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	CHECK (from_date <= to_date)
);
CREATE INDEX location_closures_location ON location_closures (location_id);

CREATE TABLE offerings (
	id                   INTEGER PRIMARY KEY,
	name                 TEXT NOT NULL,
	discipline           TEXT NOT NULL CHECK (discipline IN ('physiotherapist', 'sports_therapist', 'massage_therapist')),
	description          TEXT NOT NULL DEFAULT '',
	duration_minutes     INTEGER NOT NULL CHECK (duration_minutes > 0),
	buffer_after_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
	price_minor          INTEGER NOT NULL CHECK (price_minor >= 0),
	currency             TEXT NOT NULL CHECK (length(currency) = 3),
	bookable_online      INTEGER NOT NULL DEFAULT 1,
	first_visit          INTEGER NOT NULL DEFAULT 0,
	active               INTEGER NOT NULL DEFAULT 1,
	created_at           TEXT NOT NULL
);

CREATE TABLE practitioners (
	id                  INTEGER PRIMARY KEY,
	name                TEXT NOT NULL,
	discipline          TEXT NOT NULL CHECK (discipline IN ('physiotherapist', 'sports_therapist', 'massage_therapist')),
	qualifications      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	registration_body   TEXT NOT NULL DEFAULT '',
	registration_number TEXT NOT NULL DEFAULT '',
	bio                 TEXT NOT NULL DEFAULT '',
	languages           TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	active              INTEGER NOT NULL DEFAULT 1,
	created_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX practitioners_registration ON practitioners (registration_body, registration_number) WHERE registration_number <> '';

CREATE TABLE practitioner_offers (
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
	offering_id     INTEGER NOT NULL REFERENCES offerings (id),
	location_id     INTEGER NOT NULL REFERENCES locations (id),
	PRIMARY KEY (practitioner_id, offering_id, location_id)
);
CREATE INDEX practitioner_offers_offering ON practitioner_offers (offering_id);

CREATE TABLE practitioner_hours (
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
	location_id     INTEGER NOT NULL REFERENCES locations (id),
	weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	starts          INTEGER NOT NULL CHECK (starts >= 0),
	ends            INTEGER NOT NULL CHECK (ends <= 1440),
	CHECK (starts < ends)
);
CREATE INDEX practitioner_hours_practitioner ON practitioner_hours (practitioner_id);

CREATE TABLE patients (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	date_of_birth TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);

CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	email           TEXT NOT NULL UNIQUE, -- stored lower-cased
	name            TEXT NOT NULL,
	role            TEXT NOT NULL CHECK (role IN ('patient', 'practitioner', 'reception', 'admin')),
	password_hash   TEXT NOT NULL,        -- argon2id PHC string, never the password
	patient_id      INTEGER UNIQUE REFERENCES patients (id),
	practitioner_id INTEGER REFERENCES practitioners (id),
	created_at      TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,          -- SHA-256 of the cookie token, never the token
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
