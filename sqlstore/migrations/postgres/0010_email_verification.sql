-- Email ownership: a patient's account confirms its address, through a link
-- sent to it, before it may book. Staff accounts count as confirmed (the
-- clinic made them, as it will patients' accounts an admin adds); patient
-- accounts made before this confirm their address with a link they ask
-- for from their account page, or with a password reset.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at WHERE role <> 'patient';

CREATE TABLE email_verifications (
	token_hash text PRIMARY KEY,           -- SHA-256 of the emailed token
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	outbox_id  bigint REFERENCES outbox (id) ON DELETE SET NULL  -- the email with the link, scrubbed once the address is confirmed
);
CREATE INDEX email_verifications_user ON email_verifications (user_id);
