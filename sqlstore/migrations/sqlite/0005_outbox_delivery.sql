-- Delivery of the outbox: state, retries with back-off, leases so that
-- several workers never send one message twice, and the booking a message
-- belongs to (re-planned on reschedule, dropped on cancel).
ALTER TABLE outbox ADD COLUMN booking_id INTEGER REFERENCES bookings (id);
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dropped'));
ALTER TABLE outbox ADD COLUMN send_after TEXT;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN claim_id TEXT;
UPDATE outbox SET send_after = created_at WHERE send_after IS NULL;
UPDATE outbox SET status = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_due ON outbox (status, send_after);
CREATE INDEX outbox_booking ON outbox (booking_id);
