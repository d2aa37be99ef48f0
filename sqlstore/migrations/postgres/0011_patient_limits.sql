-- A patient's limits: one waiting request for the same thing, and (PostgreSQL)
-- the function that refuses a booking past the limit clinic sets.

-- One waiting request per patient for the same thing: the same discipline
-- or practitioner, service, dates, weekdays and hours. Duplicates already
-- waiting are ended (the oldest stays, keeping its place in the queue).
UPDATE waitlist_entries SET status = 'cancelled'
WHERE status = 'waiting' AND id NOT IN (
	SELECT MIN(id) FROM waitlist_entries WHERE status = 'waiting'
	GROUP BY patient_id, discipline, COALESCE(practitioner_id, 0), offering_id, from_date, to_date, weekdays, earliest, latest
);
CREATE UNIQUE INDEX waitlist_entries_once ON waitlist_entries
	(patient_id, discipline, COALESCE(practitioner_id, 0), offering_id, from_date, to_date, weekdays, earliest, latest)
	WHERE status = 'waiting';

-- A patient's limits (bookings and waitlist requests they hold, a number
-- clinic sets) are counted in the transaction that adds one, after a lock
-- on the patient's row. A booking goes to the server as one pipeline, so
-- its count fails the pipeline outright, with this SQLSTATE, rather than
-- insert nothing and let the rest run. (VOLATILE, the default, so that it
-- runs only when the limit is reached.)
CREATE FUNCTION backdesk_limit_reached() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the patient holds as many as the clinic allows' USING ERRCODE = 'BD001';
END
$$;
