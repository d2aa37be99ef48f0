-- A booking is refused when its patient's record has been erased or merged
-- into another: on SQLite the booking's insert looks at the record in the
-- same statement (nothing to add to the schema; this migration keeps the
-- two lists alike).
SELECT 1;
