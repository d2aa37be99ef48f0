-- Practitioners' private calendar feeds: one secret URL each, stored as the
-- SHA-256 of its token.
CREATE TABLE calendar_feeds (
	practitioner_id bigint PRIMARY KEY REFERENCES practitioners (id) ON DELETE CASCADE,
	token_hash      text NOT NULL UNIQUE,
	created_at      timestamptz NOT NULL
);
