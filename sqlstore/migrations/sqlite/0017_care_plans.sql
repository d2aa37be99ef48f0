-- Treatment plans with home exercises: the clinic's own exercises (every
-- version kept), plans and their versions, exercise logs, the patients'
-- choices of emails, which day's reminder each patient was sent, and the
-- key that signs the links in emails.

CREATE TABLE clinic_exercises (
	id         TEXT NOT NULL,
	version    INTEGER NOT NULL CHECK (version >= 1),
	body       TEXT NOT NULL,              -- the exercise as JSON
	created_by INTEGER,                    -- the user; no foreign key: versions outlive accounts
	created_at TEXT NOT NULL,
	PRIMARY KEY (id, version)
);

-- One plan per patient; version is the current one.
CREATE TABLE care_plans (
	id              INTEGER PRIMARY KEY,
	patient_id      INTEGER NOT NULL UNIQUE REFERENCES patients (id),
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
	version         INTEGER NOT NULL CHECK (version >= 1),
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);

-- A version is written once and never changed.
CREATE TABLE care_plan_versions (
	plan_id     INTEGER NOT NULL REFERENCES care_plans (id),
	version     INTEGER NOT NULL CHECK (version >= 1),
	problem     TEXT NOT NULL,
	goals       TEXT NOT NULL,             -- JSON
	sessions    TEXT NOT NULL,             -- JSON
	exercises   TEXT NOT NULL,             -- JSON: ids, text versions and dosages
	change_note TEXT NOT NULL DEFAULT '',
	author_id   INTEGER NOT NULL REFERENCES practitioners (id),
	created_at  TEXT NOT NULL,
	PRIMARY KEY (plan_id, version)
);

CREATE TABLE exercise_logs (
	id          INTEGER PRIMARY KEY,
	plan_id     INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	patient_id  INTEGER NOT NULL REFERENCES patients (id),
	exercise_id TEXT NOT NULL,
	pain        INTEGER CHECK (pain BETWEEN 0 AND 10),
	done_at     TEXT NOT NULL,
	FOREIGN KEY (plan_id, version) REFERENCES care_plan_versions (plan_id, version)
);
CREATE INDEX exercise_logs_plan ON exercise_logs (plan_id, done_at);

CREATE TABLE reminder_settings (
	patient_id       INTEGER PRIMARY KEY REFERENCES patients (id),
	daily            INTEGER NOT NULL DEFAULT 0,
	hour             INTEGER NOT NULL DEFAULT 8 CHECK (hour BETWEEN 0 AND 23),
	outcome_requests INTEGER NOT NULL DEFAULT 1,
	updated_at       TEXT NOT NULL
);

-- At most one reminder a day per patient, whichever process sweeps: the
-- primary key decides, in the transaction that writes the email.
CREATE TABLE plan_reminders_sent (
	patient_id INTEGER NOT NULL REFERENCES patients (id),
	day        TEXT NOT NULL,              -- the clinic's local date
	outbox_id  INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (patient_id, day)
);

CREATE TABLE signing_keys (
	name       TEXT PRIMARY KEY,
	secret     TEXT NOT NULL,              -- hex
	created_at TEXT NOT NULL
);
