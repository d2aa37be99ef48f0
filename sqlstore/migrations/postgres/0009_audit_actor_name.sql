-- The audit log names actors that are not people: the system's jobs (the
-- waitlist offering a freed time), later integrations' tokens. A person is
-- recorded by id only.
ALTER TABLE audit_log ADD COLUMN actor_name text NOT NULL DEFAULT '';
