-- Self-assessments: the accepted answers, the result and the ruleset
-- version, so that every outcome can be explained and reproduced.
CREATE TABLE assessments (
	id            TEXT PRIMARY KEY,                     -- 128 random bits, hex
	patient_id    INTEGER REFERENCES patients (id),     -- NULL for an anonymous assessment
	rules_version TEXT NOT NULL,
	disposition   TEXT NOT NULL,
	answers       TEXT NOT NULL,                        -- canonical JSON
	result        TEXT NOT NULL,                        -- JSON, spec/assessment.md §8
	created_at    TEXT NOT NULL
);
CREATE INDEX assessments_patient ON assessments (patient_id, created_at);
