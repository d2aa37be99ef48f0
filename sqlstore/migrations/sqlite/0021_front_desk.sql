-- The front desk: patient search that ignores accents, merging duplicate
-- records (reversibly), a note on how to reach a waiting patient who has
-- no email, and the first-visit limit among a location's booking rules.

-- search_name is the name as searches compare it (backdesk.FoldText:
-- lower case, no accents); written with the name, and filled for the
-- records already kept by the Go step that runs with this migration.
ALTER TABLE patients ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
-- merged_into is the record a duplicate was merged into; NULL for a
-- record in its own right. A merged record is kept (its history, its
-- audit lines) but no longer found by searches.
ALTER TABLE patients ADD COLUMN merged_into INTEGER REFERENCES patients (id);

-- Each merge, with the rows it moved (JSON: table -> ids), so that undoing
-- it moves back exactly those.
CREATE TABLE patient_merges (
	id         INTEGER PRIMARY KEY,
	kept_id    INTEGER NOT NULL REFERENCES patients (id),
	merged_id  INTEGER NOT NULL REFERENCES patients (id),
	moved      TEXT NOT NULL,
	by_user_id INTEGER,                   -- no foreign key: the record outlives accounts
	at         TEXT NOT NULL,
	undone_at  TEXT,
	CHECK (kept_id <> merged_id)
);
CREATE INDEX patient_merges_kept ON patient_merges (kept_id);
CREATE INDEX patient_merges_merged ON patient_merges (merged_id);

ALTER TABLE waitlist_entries ADD COLUMN contact_note TEXT NOT NULL DEFAULT '';

-- How many first visits of one discipline a patient may have coming at
-- once when they book for themselves; 0: no limit.
ALTER TABLE locations ADD COLUMN max_first_visits INTEGER NOT NULL DEFAULT 0;
