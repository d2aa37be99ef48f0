-- Self-assessments: the accepted answers, the result and the ruleset
-- version, so that every outcome can be explained and reproduced.
CREATE TABLE assessments (
	id            text PRIMARY KEY,                     -- 128 random bits, hex
	patient_id    bigint REFERENCES patients (id),      -- NULL for an anonymous assessment
	rules_version text NOT NULL,
	disposition   text NOT NULL,
	answers       text NOT NULL,                        -- canonical JSON
	result        text NOT NULL,                        -- JSON, spec/assessment.md §8
	created_at    timestamptz NOT NULL
);
CREATE INDEX assessments_patient ON assessments (patient_id, created_at);
