-- Workloads: the weight of an open episode at each stage (in tenths: 15 is 1.5) and the
-- protected caseload of a worker in their ASYE year, per authority; and every time a manager
-- agreed to go over that protection, with the reason. Keep in step with ../postgres/0015_workloads.sql.
ALTER TABLE authorities ADD COLUMN workload_weight_child_protection INTEGER NOT NULL DEFAULT 20;
ALTER TABLE authorities ADD COLUMN workload_weight_section_47 INTEGER NOT NULL DEFAULT 15;
ALTER TABLE authorities ADD COLUMN workload_weight_assessment INTEGER NOT NULL DEFAULT 10;
ALTER TABLE authorities ADD COLUMN workload_weight_child_in_need INTEGER NOT NULL DEFAULT 10;
ALTER TABLE authorities ADD COLUMN asye_caseload_cap INTEGER NOT NULL DEFAULT 120;

CREATE TABLE caseload_overrides (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    episode_id BLOB NOT NULL REFERENCES episodes(id),
    worker_id BLOB NOT NULL REFERENCES workers(id),
    caseload_before INTEGER NOT NULL,
    caseload_after INTEGER NOT NULL,
    cap INTEGER NOT NULL,
    reason TEXT NOT NULL,
    agreed_by BLOB NOT NULL REFERENCES workers(id),
    agreed_at TEXT NOT NULL
);
CREATE INDEX caseload_overrides_agreed ON caseload_overrides(authority_id, agreed_at);

-- A worker's caseload is read from their open episodes, and each episode's stage from its
-- open assessment.
CREATE INDEX episodes_worker ON episodes(authority_id, worker_id, closed_on);
CREATE INDEX assessments_referral ON assessments(referral_id);
