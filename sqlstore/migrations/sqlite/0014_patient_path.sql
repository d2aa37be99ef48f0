-- The patient's path: a booking remembers the self-assessment it was made
-- from and the chain of moves it belongs to (a calendar event keeps its
-- UID across a reschedule and counts its SEQUENCE up); locations say where
-- to park, how to get in, and link to a map.

ALTER TABLE bookings ADD COLUMN assessment_id TEXT REFERENCES assessments (id);
ALTER TABLE bookings ADD COLUMN series_id INTEGER REFERENCES bookings (id);  -- the chain's first booking; NULL: this one
ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;         -- how many times the chain has moved
-- The booking a moved one became is found by its rescheduled_from.
CREATE INDEX bookings_rescheduled_from ON bookings (rescheduled_from) WHERE rescheduled_from IS NOT NULL;

ALTER TABLE locations ADD COLUMN map_url TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN parking TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN access_notes TEXT NOT NULL DEFAULT '';
