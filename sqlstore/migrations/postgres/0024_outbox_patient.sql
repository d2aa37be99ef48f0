-- An email to a patient names them (outboxStmt sets it as it addresses the
-- email from their record), so that a change of their address or of their
-- answer to "May we email you?" reaches the emails still waiting, and a
-- merge moves them with the person. Every email of a booking stored before
-- this was to the booking's patient. No foreign key and no index: the
-- booking path writes these rows, and the rare changes that look for a
-- patient's waiting emails go through the index of pending ones.
ALTER TABLE outbox ADD COLUMN patient_id bigint;
UPDATE outbox SET patient_id = bookings.patient_id FROM bookings WHERE bookings.id = outbox.booking_id;
