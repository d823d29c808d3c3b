-- Child and family assessments: the assessments table of 0001 (written from the strategy
-- discussion sign-off and the synthetic loader) grows into the whole assessment: its episode,
-- due date, workflow state, the quality points (visits, the child's views, history, family,
-- verification), census factors, outcome, authorisation, the reasons given for missing quality
-- points, and the repeat flag set at start. Keep in step with ../postgres/0018_child_and_family_assessments.sql.

ALTER TABLE assessments ADD COLUMN episode_id BLOB REFERENCES episodes(id);
ALTER TABLE assessments ADD COLUMN team_id BLOB REFERENCES teams(id);
ALTER TABLE assessments ADD COLUMN worker_id BLOB REFERENCES workers(id);
ALTER TABLE assessments ADD COLUMN due_on TEXT;
-- in_progress | submitted | authorised. Rows written before this migration with a completion
-- date were completed assessments.
ALTER TABLE assessments ADD COLUMN state TEXT NOT NULL DEFAULT 'in_progress';
ALTER TABLE assessments ADD COLUMN is_repeat BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE assessments ADD COLUMN child_views TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN history_considered TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN family_considered TEXT NOT NULL DEFAULT '';
-- One source per line (school, GP, health visitor, police...).
ALTER TABLE assessments ADD COLUMN verification_sources TEXT NOT NULL DEFAULT '';
-- Census factor codes, comma-separated in census order.
ALTER TABLE assessments ADD COLUMN factors TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN outcome TEXT;
ALTER TABLE assessments ADD COLUMN started_by BLOB REFERENCES workers(id);
ALTER TABLE assessments ADD COLUMN submitted_by BLOB REFERENCES workers(id);
ALTER TABLE assessments ADD COLUMN submitted_at TEXT;
ALTER TABLE assessments ADD COLUMN authorised_by BLOB REFERENCES workers(id);
ALTER TABLE assessments ADD COLUMN authorised_at TEXT;
ALTER TABLE assessments ADD COLUMN returned_by BLOB REFERENCES workers(id);
ALTER TABLE assessments ADD COLUMN returned_at TEXT;
ALTER TABLE assessments ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN updated_at TEXT;

UPDATE assessments SET state = 'authorised' WHERE completed_on IS NOT NULL;

-- One assessment open (not yet authorised) per episode, whatever races to start one.
CREATE UNIQUE INDEX assessments_one_open_per_episode ON assessments(episode_id)
    WHERE state <> 'authorised' AND episode_id IS NOT NULL;
CREATE INDEX assessments_authority_state ON assessments(authority_id, state, due_on);

CREATE TABLE assessment_visits (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    assessment_id BLOB NOT NULL REFERENCES assessments(id),
    visited_on TEXT NOT NULL,
    child_seen BOOLEAN NOT NULL,
    seen_alone BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX assessment_visits_assessment ON assessment_visits(assessment_id, visited_on);

-- The reason recorded for each quality point an assessment was submitted without (replaced
-- when a returned assessment is submitted again).
CREATE TABLE assessment_missing_points (
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    assessment_id BLOB NOT NULL REFERENCES assessments(id),
    point TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (assessment_id, point)
);
