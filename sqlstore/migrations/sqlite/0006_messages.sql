-- "Send us a message": the reception inbox.
CREATE TABLE contact_messages (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	email       TEXT NOT NULL,
	phone       TEXT NOT NULL DEFAULT '',
	body        TEXT NOT NULL,
	patient_id  INTEGER REFERENCES patients (id),
	created_at  TEXT NOT NULL,
	answer      TEXT NOT NULL DEFAULT '',
	answered_by INTEGER,
	answered_at TEXT
);
CREATE INDEX contact_messages_open ON contact_messages (answered_at, id);
