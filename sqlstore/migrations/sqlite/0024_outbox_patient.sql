-- An email to a patient names them (outboxStmt sets it as it addresses the
-- email from their record), so that a change of their address or of their
-- answer to "May we email you?" reaches the emails still waiting, and a
-- merge moves them with the person. Every email of a booking stored before
-- this was to the booking's patient.
ALTER TABLE outbox ADD COLUMN patient_id INTEGER;
UPDATE outbox SET patient_id = (SELECT patient_id FROM bookings WHERE bookings.id = outbox.booking_id) WHERE booking_id IS NOT NULL;
