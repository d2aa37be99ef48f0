-- Signed webhooks (Standard Webhooks 1.0). An event is written in the same
-- transaction as the change it announces, with one delivery for each
-- enabled endpoint subscribed to its type; workers lease deliveries as they
-- do emails, so that each is sent by one worker at a time.
CREATE TABLE webhook_endpoints (
	id              INTEGER PRIMARY KEY,
	url             TEXT NOT NULL CHECK (url <> ''),
	description     TEXT NOT NULL DEFAULT '',
	secret          TEXT NOT NULL,          -- whsec_…: needed to sign, so kept as given
	enabled         INTEGER NOT NULL DEFAULT 1,
	disabled_reason TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE TABLE webhook_subscriptions (
	endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
	event_type  TEXT NOT NULL,
	PRIMARY KEY (endpoint_id, event_type)
);
CREATE INDEX webhook_subscriptions_type ON webhook_subscriptions (event_type);
CREATE TABLE webhook_events (
	id          TEXT PRIMARY KEY,           -- msg_…, the webhook-id of its deliveries
	type        TEXT NOT NULL,
	resource_id TEXT NOT NULL,              -- the appointment's, referral's or assessment's id
	data        TEXT NOT NULL,              -- the payload's data, JSON, ids only
	created_at  TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
	id               INTEGER PRIMARY KEY,
	event_id         TEXT NOT NULL REFERENCES webhook_events (id),
	endpoint_id      INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
	status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts         INTEGER NOT NULL DEFAULT 0,
	next_attempt_at  TEXT NOT NULL,
	last_status_code INTEGER NOT NULL DEFAULT 0,
	last_error       TEXT NOT NULL DEFAULT '',
	delivered_at     TEXT,
	claimed_until    TEXT,
	claim_id         TEXT,
	created_at       TEXT NOT NULL,
	UNIQUE (event_id, endpoint_id)          -- each event once per endpoint
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE TABLE webhook_attempts (
	id          INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	status_code INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
