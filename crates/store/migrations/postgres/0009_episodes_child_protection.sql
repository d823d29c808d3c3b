-- Episodes of need (the census's CINdetails), strategy discussions, section 47 enquiries,
-- child protection conferences and plans. Keep in step with ../sqlite/0009_episodes_child_protection.sql.
-- Every row carries authority_id and the child's person_id (rows move with a person merge).

CREATE TABLE episodes (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    person_id UUID NOT NULL REFERENCES people(id),
    referral_id UUID NOT NULL UNIQUE REFERENCES referrals(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    referral_date DATE NOT NULL,
    source TEXT NOT NULL,
    primary_need TEXT,
    team_id UUID REFERENCES teams(id),
    worker_id UUID REFERENCES workers(id),
    closed_on DATE,
    closure_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX episodes_person ON episodes(person_id, referral_date);
CREATE INDEX episodes_authority ON episodes(authority_id, referral_date);

-- Every referral already made is the start of its child's episode.
INSERT INTO episodes (id, authority_id, person_id, referral_id, contact_id, referral_date, source, team_id, created_at)
SELECT gen_random_uuid(), r.authority_id, r.person_id, r.id, r.contact_id, r.referral_date, r.source, c.team_id, r.created_at
FROM referrals r JOIN contacts c ON c.id = r.contact_id;

CREATE TABLE strategy_discussions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    person_id UUID NOT NULL REFERENCES people(id),
    state TEXT NOT NULL,
    emergency BOOLEAN NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    decided_by UUID REFERENCES workers(id),
    held_at TIMESTAMPTZ,
    police_absence_reason TEXT NOT NULL,
    health_absence_reason TEXT NOT NULL,
    decision TEXT,
    rationale TEXT NOT NULL,
    recorded_by UUID REFERENCES workers(id),
    recorded_at TIMESTAMPTZ,
    signed_off_by UUID REFERENCES workers(id),
    signed_off_at TIMESTAMPTZ,
    withdrawn_by UUID REFERENCES workers(id),
    withdrawn_at TIMESTAMPTZ,
    withdrawal_reason TEXT NOT NULL,
    -- Record-quality indicators for the dashboard: sign-offs refused as incomplete before the
    -- one that succeeded, and whether it was held within the target after the decision.
    sign_off_refusals INTEGER NOT NULL,
    held_within_target BOOLEAN,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX strategy_discussions_episode ON strategy_discussions(episode_id, decided_at);
CREATE INDEX strategy_discussions_state ON strategy_discussions(authority_id, state);

CREATE TABLE strategy_attendees (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    strategy_discussion_id UUID NOT NULL REFERENCES strategy_discussions(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    agency TEXT,
    role TEXT NOT NULL,
    information_shared TEXT NOT NULL
);
CREATE INDEX strategy_attendees_discussion ON strategy_attendees(strategy_discussion_id, position);

CREATE TABLE strategy_risks (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    strategy_discussion_id UUID NOT NULL REFERENCES strategy_discussions(id),
    position INTEGER NOT NULL,
    harm TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    from_whom TEXT NOT NULL,
    likelihood TEXT,
    severity TEXT
);
CREATE INDEX strategy_risks_discussion ON strategy_risks(strategy_discussion_id, position);

CREATE TABLE strategy_actions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    strategy_discussion_id UUID NOT NULL REFERENCES strategy_discussions(id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE
);
CREATE INDEX strategy_actions_discussion ON strategy_actions(strategy_discussion_id, position);

-- One enquiry per strategy discussion: the unique key is the guard against starting two.
CREATE TABLE section_47_enquiries (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    person_id UUID NOT NULL REFERENCES people(id),
    strategy_discussion_id UUID NOT NULL UNIQUE REFERENCES strategy_discussions(id),
    started_on DATE NOT NULL,
    plan_agreed_at TIMESTAMPTZ NOT NULL,
    icpc_due_on DATE NOT NULL,
    state TEXT NOT NULL,
    concerns_substantiated BOOLEAN,
    icpc_needed BOOLEAN,
    outcome_reason TEXT NOT NULL,
    completed_on DATE,
    started_by UUID NOT NULL REFERENCES workers(id),
    completed_by UUID REFERENCES workers(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX section_47_enquiries_episode ON section_47_enquiries(episode_id, started_on);

CREATE TABLE section_47_visits (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    enquiry_id UUID NOT NULL REFERENCES section_47_enquiries(id),
    visited_at TIMESTAMPTZ NOT NULL,
    visited_by TEXT NOT NULL,
    child_seen BOOLEAN NOT NULL,
    seen_alone BOOLEAN NOT NULL,
    before_plan_agreed BOOLEAN NOT NULL,
    early_visit_reason TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX section_47_visits_enquiry ON section_47_visits(enquiry_id, visited_at);

-- Initial (from an enquiry) and review (of a plan) child protection conferences.
CREATE TABLE conferences (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    person_id UUID NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    enquiry_id UUID UNIQUE REFERENCES section_47_enquiries(id),
    plan_id UUID,
    due_on DATE NOT NULL,
    held_on DATE,
    chair TEXT NOT NULL,
    plan_outcome BOOLEAN,
    category TEXT,
    recorded_by UUID REFERENCES workers(id),
    recorded_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX conferences_episode ON conferences(episode_id, due_on);
CREATE INDEX conferences_due ON conferences(authority_id, held_on, due_on);

CREATE TABLE protection_plans (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    person_id UUID NOT NULL REFERENCES people(id),
    icpc_id UUID NOT NULL UNIQUE REFERENCES conferences(id),
    started_on DATE NOT NULL,
    initial_category TEXT NOT NULL,
    latest_category TEXT NOT NULL,
    ended_on DATE,
    end_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX protection_plans_episode ON protection_plans(episode_id, started_on);
CREATE INDEX protection_plans_open ON protection_plans(authority_id, ended_on);

CREATE TABLE plan_visits (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    plan_id UUID NOT NULL REFERENCES protection_plans(id),
    visited_on DATE NOT NULL,
    seen_alone BOOLEAN NOT NULL,
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_visits_plan ON plan_visits(plan_id, visited_on);
