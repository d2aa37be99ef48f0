-- A booking is refused in its own pipeline when the practitioner has time
-- off over it (its buffer included), as an overlap with another booking is
-- by the exclusion constraint: the pipeline's check calls this for such a
-- time off, and the error (SQLSTATE 23P01, exclusion_violation) fails the
-- whole pipeline, so that nothing of the booking is written.
CREATE FUNCTION backdesk_time_off_taken() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the practitioner has time off then' USING ERRCODE = 'exclusion_violation';
END
$$;
