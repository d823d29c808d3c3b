-- Child sexual exploitation screening: the screening (its level and the risk management group's
-- next review date), its answers per indicator, the group's reviews, and the screening a safety
-- plan answers. Keep in step with ../postgres/0016_cse_screening.sql. Every row carries
-- authority_id; the child's person_id moves with a person merge.

CREATE TABLE cse_screenings (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    contact_id BLOB REFERENCES contacts(id),
    screened_on TEXT NOT NULL,
    indicator_level TEXT NOT NULL,
    judgement_level TEXT,
    judgement_reason TEXT NOT NULL,
    level TEXT NOT NULL,
    -- The risk management group's next review (medium and high risk only).
    review_on TEXT,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX cse_screenings_person ON cse_screenings(person_id, recorded_at);
CREATE INDEX cse_screenings_authority_level ON cse_screenings(authority_id, level);

CREATE TABLE cse_answers (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    cse_screening_id BLOB NOT NULL REFERENCES cse_screenings(id),
    position INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    answer TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX cse_answers_screening ON cse_answers(cse_screening_id, position);

CREATE TABLE cse_reviews (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    cse_screening_id BLOB NOT NULL REFERENCES cse_screenings(id),
    previous_review_on TEXT,
    next_review_on TEXT NOT NULL,
    notes TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX cse_reviews_screening ON cse_reviews(cse_screening_id, recorded_at);

-- The CSE screening a safety plan answers: its actions must answer each identified indicator.
ALTER TABLE safety_plans ADD COLUMN cse_screening_id BLOB REFERENCES cse_screenings(id);
