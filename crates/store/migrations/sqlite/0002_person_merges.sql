-- Merges of duplicate person records, with what was moved, so a merge can be reversed.
CREATE TABLE person_merges (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    kept_person_id BLOB NOT NULL REFERENCES people(id),
    merged_person_id BLOB NOT NULL REFERENCES people(id),
    moved TEXT NOT NULL,
    reason TEXT NOT NULL,
    merged_by BLOB NOT NULL REFERENCES workers(id),
    merged_at TEXT NOT NULL,
    reversed_by BLOB REFERENCES workers(id),
    reversed_at TEXT
);
CREATE INDEX person_merges_kept ON person_merges(kept_person_id);
CREATE INDEX person_merges_merged ON person_merges(merged_person_id);
CREATE INDEX people_merged_into ON people(merged_into);
