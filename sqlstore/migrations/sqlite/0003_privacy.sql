-- Protection of patient data: the append-only audit log, sign-in failure
-- counts, password resets, the outbox, and erasure of patient records.

ALTER TABLE patients ADD COLUMN erased_at TEXT;

CREATE TABLE audit_log (
	id            INTEGER PRIMARY KEY,
	at            TEXT NOT NULL,
	actor_user_id INTEGER,                 -- no foreign key: the log outlives accounts
	actor_role    TEXT NOT NULL DEFAULT '',
	action        TEXT NOT NULL,
	patient_id    INTEGER,
	resource      TEXT NOT NULL,
	resource_id   TEXT NOT NULL DEFAULT '',
	source        TEXT NOT NULL DEFAULT ''  -- client address
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_patient ON audit_log (patient_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE login_failures (
	key TEXT NOT NULL,                     -- "account:<email>" or "address:<ip>"
	at  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	to_addr    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	sensitive  INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	sent_at    TEXT
);

CREATE TABLE password_resets (
	token_hash TEXT PRIMARY KEY,           -- SHA-256 of the emailed token
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	outbox_id  INTEGER REFERENCES outbox (id) ON DELETE SET NULL  -- the email with the link, scrubbed when used
);
