-- A patient's limits: one waiting request for the same thing (the number
-- of bookings and requests a patient holds is counted where they are added).

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
