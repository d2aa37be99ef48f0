-- Outcome scores over time, and the questionnaires emailed the day before
-- follow-up appointments (one per appointment).

CREATE TABLE outcomes (
	id          INTEGER PRIMARY KEY,
	patient_id  INTEGER NOT NULL REFERENCES patients (id),
	measure     TEXT NOT NULL CHECK (measure IN ('pain', 'odi', 'startback', 'psfs')),
	value       REAL NOT NULL,
	detail      TEXT NOT NULL DEFAULT '{}', -- JSON: PSFS activities, STarT Back risk, the answers scored
	source      TEXT NOT NULL CHECK (source IN ('self_assessment', 'follow_up', 'clinic')),
	booking_id  INTEGER REFERENCES bookings (id),
	recorded_by INTEGER,                    -- the user; no foreign key, as in the audit log
	recorded_at TEXT NOT NULL,
	CHECK (value >= 0 AND value <= CASE measure WHEN 'odi' THEN 100 WHEN 'startback' THEN 9 ELSE 10 END)
);
CREATE INDEX outcomes_patient ON outcomes (patient_id, recorded_at);

CREATE TABLE outcome_requests (
	booking_id  INTEGER PRIMARY KEY REFERENCES bookings (id),
	patient_id  INTEGER NOT NULL REFERENCES patients (id),
	outbox_id   INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
	created_at  TEXT NOT NULL,
	answered_at TEXT
);
CREATE INDEX outcome_requests_patient ON outcome_requests (patient_id);
