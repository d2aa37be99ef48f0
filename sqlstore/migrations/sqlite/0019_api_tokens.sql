-- API tokens for integrations: a name, a role, and the SHA-256 of a secret
-- shown once; revocable. A booking an integration makes names its token,
-- and its idempotency keys are the token's own.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE CHECK (name <> ''),   -- unique for ever: the audit log names tokens by it
	role         TEXT NOT NULL CHECK (role IN ('read_only', 'reception', 'admin')),
	secret_hash  TEXT NOT NULL UNIQUE,                       -- SHA-256 of the token, never the token
	created_by   INTEGER,                                    -- the admin's account; no foreign key: tokens outlive accounts
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);
ALTER TABLE bookings ADD COLUMN created_by_token INTEGER REFERENCES api_tokens (id);
CREATE UNIQUE INDEX bookings_token_idempotency ON bookings (created_by_token, idempotency_key)
	WHERE idempotency_key IS NOT NULL AND created_by_token IS NOT NULL;
