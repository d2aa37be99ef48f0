-- Health questions before a first visit: the patient's details and
-- consents on their record, each change kept with the value it replaced,
-- and the intake of each booking (the massage-safety answers when asked).

ALTER TABLE patients ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN family_doctor TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN emergency_contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN emergency_contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN consent_treatment_at TEXT;
ALTER TABLE patients ADD COLUMN consent_email INTEGER;             -- NULL: not asked yet

-- The history of a record's details. The audit line of each change names
-- the record and the fields; the values live here, where erasure can
-- blank them with the record (the audit log is append-only).
CREATE TABLE patient_changes (
	id         INTEGER PRIMARY KEY,
	patient_id INTEGER NOT NULL REFERENCES patients (id),
	field      TEXT NOT NULL,
	old_value  TEXT NOT NULL,
	new_value  TEXT NOT NULL,
	by_user_id INTEGER,                   -- no foreign key: the history outlives accounts
	by_role    TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
CREATE INDEX patient_changes_patient ON patient_changes (patient_id, at);

CREATE TABLE intakes (
	id         INTEGER PRIMARY KEY,
	booking_id INTEGER NOT NULL UNIQUE REFERENCES bookings (id),
	patient_id INTEGER NOT NULL REFERENCES patients (id),
	answers    TEXT,                      -- JSON: the massage-safety answers, when asked
	safety     TEXT,                      -- JSON: what they say (spec/assessment.md §8)
	created_at TEXT NOT NULL
);
CREATE INDEX intakes_patient ON intakes (patient_id, created_at);
