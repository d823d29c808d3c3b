-- Child in need plans (the census's CINPlanDates): started after an assessment, or when a
-- child protection plan ends, and ended when the child no longer needs one.
CREATE TABLE cin_plans (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    episode_id BLOB NOT NULL REFERENCES episodes(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    started_by BLOB REFERENCES workers(id),
    ended_by BLOB REFERENCES workers(id),
    created_at TEXT NOT NULL
);
CREATE INDEX cin_plans_episode ON cin_plans(episode_id, started_on);
CREATE INDEX cin_plans_person ON cin_plans(authority_id, person_id);
