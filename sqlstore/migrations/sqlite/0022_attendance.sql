-- Whether the patient came: arrived, did not attend (no-show) or
-- completed, with who set it and when; '' until someone does.
ALTER TABLE bookings ADD COLUMN attendance TEXT NOT NULL DEFAULT ''
	CHECK (attendance IN ('', 'arrived', 'no_show', 'completed'));
ALTER TABLE bookings ADD COLUMN attendance_by INTEGER;   -- a user id; no foreign key: the diary outlives accounts
ALTER TABLE bookings ADD COLUMN attendance_at TEXT;
ALTER TABLE bookings ADD COLUMN attendance_by_name TEXT NOT NULL DEFAULT '';  -- who, as the diary shows them
CREATE INDEX bookings_no_show ON bookings (patient_id) WHERE attendance = 'no_show';
