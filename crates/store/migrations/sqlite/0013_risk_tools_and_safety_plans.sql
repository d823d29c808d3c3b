-- Safety plans (and written agreements, recorded as exactly that) and the DASH domestic abuse
-- risk checklist. Keep in step with
-- ../postgres/0013_risk_tools_and_safety_plans.sql. Every row carries authority_id; the child's
-- person_id moves with a person merge.

CREATE TABLE dash_assessments (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    contact_id BLOB REFERENCES contacts(id),
    victim_name TEXT NOT NULL,
    victim_relationship TEXT NOT NULL,
    incident_on TEXT NOT NULL,
    score INTEGER NOT NULL,
    judgement_level TEXT,
    judgement_reason TEXT NOT NULL,
    level TEXT NOT NULL,
    incidents_in_12_months INTEGER NOT NULL,
    escalation INTEGER NOT NULL,
    marac_referred INTEGER,
    marac_referred_on TEXT,
    marac_reason_not TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX dash_assessments_person ON dash_assessments(person_id, incident_on);
CREATE INDEX dash_assessments_contact ON dash_assessments(contact_id);

CREATE TABLE dash_answers (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    dash_assessment_id BLOB NOT NULL REFERENCES dash_assessments(id),
    question INTEGER NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT NOT NULL
);
CREATE INDEX dash_answers_assessment ON dash_answers(dash_assessment_id, question);

CREATE TABLE safety_plans (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    -- The DASH assessment that prompted it, when one did.
    dash_assessment_id BLOB REFERENCES dash_assessments(id),
    concerns TEXT NOT NULL,
    review_on TEXT,
    created_by BLOB NOT NULL REFERENCES workers(id),
    created_at TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL,
    signed_off_by BLOB REFERENCES workers(id),
    signed_off_at TEXT,
    sign_off_refusals INTEGER NOT NULL
);
CREATE INDEX safety_plans_person ON safety_plans(person_id, created_at);

CREATE TABLE safety_plan_actions (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    safety_plan_id BLOB NOT NULL REFERENCES safety_plans(id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    -- The identified concerns (by code) this action answers, comma-separated: a plan that must
    -- answer a screening's indicators is signed off only when each has an action.
    answers TEXT NOT NULL
);
CREATE INDEX safety_plan_actions_plan ON safety_plan_actions(safety_plan_id, position);
