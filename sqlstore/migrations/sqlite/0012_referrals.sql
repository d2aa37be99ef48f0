-- Referrals: a practitioner sends a patient to another discipline of the
-- clinic or to a doctor outside it. Each change is an event in its history;
-- an appointment booked from a referral names it, and a booked referral
-- names its appointment.
CREATE TABLE referrals (
	id                   INTEGER PRIMARY KEY,
	patient_id           INTEGER NOT NULL REFERENCES patients (id),
	from_practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
	to_discipline        TEXT CHECK (to_discipline IN ('physiotherapist', 'sports_therapist', 'massage_therapist')),
	to_practitioner_id   INTEGER REFERENCES practitioners (id),
	to_external          TEXT CHECK (to_external IN ('gp', 'sports_doctor', 'other')),
	recipient_name       TEXT NOT NULL DEFAULT '',
	recipient_address    TEXT NOT NULL DEFAULT '',
	reason               TEXT NOT NULL CHECK (reason <> ''),
	urgency              TEXT NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
	findings             TEXT NOT NULL DEFAULT '',
	red_flags            TEXT NOT NULL DEFAULT '[]',   -- JSON array of the self-assessment's red-flag keys
	assessment_id        TEXT REFERENCES assessments (id),
	status               TEXT NOT NULL DEFAULT 'requested'
		CHECK (status IN ('requested', 'accepted', 'declined', 'booked', 'completed', 'withdrawn')),
	status_reason        TEXT NOT NULL DEFAULT '',
	accepted_by          INTEGER REFERENCES practitioners (id),
	booking_id           INTEGER REFERENCES bookings (id),
	created_by           INTEGER,                     -- the referrer's account; no foreign key: records outlive accounts
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL,
	-- Inside the clinic (a discipline) or outside it (a named recipient), never both.
	CHECK ((to_discipline IS NULL) <> (to_external IS NULL)),
	CHECK (to_external IS NULL OR (to_practitioner_id IS NULL AND recipient_name <> '')),
	-- A booked referral names its appointment.
	CHECK (status <> 'booked' OR booking_id IS NOT NULL)
);
CREATE INDEX referrals_patient ON referrals (patient_id, created_at);
CREATE INDEX referrals_inbox ON referrals (to_discipline, status, created_at);
CREATE INDEX referrals_from ON referrals (from_practitioner_id, created_at);
-- An assessment is attached to at most one open referral per destination:
-- a second press of the one-step referral is refused, not doubled.
CREATE UNIQUE INDEX referrals_open_per_assessment ON referrals (assessment_id, COALESCE(to_discipline, to_external))
	WHERE assessment_id IS NOT NULL AND status IN ('requested', 'accepted', 'booked');

CREATE TABLE referral_events (
	id            INTEGER PRIMARY KEY,
	referral_id   INTEGER NOT NULL REFERENCES referrals (id),
	at            TEXT NOT NULL,
	action        TEXT NOT NULL,
	from_status   TEXT NOT NULL DEFAULT '',
	to_status     TEXT NOT NULL,
	actor_user_id INTEGER,
	actor_role    TEXT NOT NULL DEFAULT '',
	actor_name    TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

ALTER TABLE bookings ADD COLUMN referral_id INTEGER REFERENCES referrals (id);
CREATE INDEX bookings_referral ON bookings (referral_id) WHERE referral_id IS NOT NULL;
