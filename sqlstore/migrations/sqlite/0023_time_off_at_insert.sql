-- A booking is refused when the practitioner has time off over it: on
-- SQLite the booking's insert looks for it in the same statement (nothing
-- to add to the schema; this migration keeps the two lists alike).
SELECT 1;
