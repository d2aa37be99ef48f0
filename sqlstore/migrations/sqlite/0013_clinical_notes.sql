-- Clinical notes (SOAP), one per appointment, in versions: version 1 is a
-- draft its author edits and then signs; a signed note is amended only by
-- a new, signed version with a reason. The triggers make a signed row
-- impossible to change or remove, whatever path a change takes.
CREATE TABLE clinical_notes (
	id              INTEGER PRIMARY KEY,
	booking_id      INTEGER NOT NULL REFERENCES bookings (id),
	patient_id      INTEGER NOT NULL REFERENCES patients (id),
	practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
	author_user_id  INTEGER,                  -- no foreign key: records outlive accounts
	version         INTEGER NOT NULL CHECK (version >= 1),
	amends          INTEGER REFERENCES clinical_notes (id),
	amend_reason    TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
	subjective      TEXT NOT NULL DEFAULT '',
	objective       TEXT NOT NULL DEFAULT '',
	assessment      TEXT NOT NULL DEFAULT '',
	plan            TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	signed_at       TEXT,
	signed_by       INTEGER,
	UNIQUE (booking_id, version),
	CHECK ((version = 1) = (amends IS NULL)),
	-- An amendment is signed when written, and says why.
	CHECK (version = 1 OR (status = 'signed' AND amend_reason <> '')),
	CHECK ((status = 'signed') = (signed_at IS NOT NULL))
);
CREATE INDEX clinical_notes_patient ON clinical_notes (patient_id, created_at);
CREATE TRIGGER clinical_notes_signed_frozen BEFORE UPDATE ON clinical_notes WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed clinical note cannot be changed; amend it'); END;
CREATE TRIGGER clinical_notes_signed_kept BEFORE DELETE ON clinical_notes WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed clinical note cannot be removed'); END;
