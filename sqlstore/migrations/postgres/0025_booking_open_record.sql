-- A booking is refused in its own pipeline when its patient's record has
-- been erased or merged into another: the pipeline reads the record under
-- a key-share lock, so that it waits for an erasure or a merge under way
-- (which lock the record first) and then sees what it left, and calls this
-- when the record is closed. The error (SQLSTATE BD002) fails the whole
-- pipeline, so that nothing of the booking is written.
CREATE FUNCTION backdesk_patient_closed() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the patient''s record is erased or merged into another' USING ERRCODE = 'BD002';
END
$$;
