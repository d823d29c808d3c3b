-- The likely-duplicates report, stored: a job (`frontdoor duplicates refresh`, and after a
-- load) rescores only the people changed since its last run and keeps the pairs here, so the
-- page reads them instead of pairing every person of the authority on each visit.
CREATE TABLE duplicate_runs (
    authority_id BLOB PRIMARY KEY REFERENCES authorities(id),
    -- The last event sequence the stored pairs take in: people an event after it concerns are
    -- rescored by the next run. NULL: never computed.
    watermark BIGINT,
    computed_at TEXT,
    people BIGINT NOT NULL DEFAULT 0,
    -- The calibrated matching model the pairs were scored with (JSON), and its confident band.
    parameters TEXT,
    confident_from REAL,
    -- The run holding the job (claimed with compare-and-set), until when.
    lease_token BLOB,
    lease_until TEXT
);

CREATE TABLE duplicate_pairs (
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    first_id BLOB NOT NULL REFERENCES people(id),
    second_id BLOB NOT NULL REFERENCES people(id),
    score REAL NOT NULL,
    confident BOOLEAN NOT NULL,
    -- Each field's part in the score (JSON).
    reasons TEXT NOT NULL,
    PRIMARY KEY (authority_id, first_id, second_id)
);
CREATE INDEX duplicate_pairs_by_score ON duplicate_pairs(authority_id, score DESC);
CREATE INDEX duplicate_pairs_second ON duplicate_pairs(second_id);

-- A refresh finds the people changed since its watermark from the events after it.
CREATE INDEX event_people_by_sequence ON event_people(event_sequence);
