-- Case supervision: a manager's supervision of a worker (the date held), each child discussed
-- with the risks reviewed and decisions, the actions agreed (owner and due date, both required)
-- and what a later supervision did with an action still open (carried forward, or closed with
-- the reason). Keep in step with ../sqlite/0012_supervision.sql.
CREATE TABLE supervisions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    worker_id UUID NOT NULL REFERENCES workers(id),
    team_id UUID REFERENCES teams(id),
    supervisor_id UUID NOT NULL REFERENCES workers(id),
    held_on DATE NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX supervisions_worker ON supervisions(authority_id, worker_id, held_on);
CREATE INDEX supervisions_team ON supervisions(authority_id, team_id, held_on);

CREATE TABLE supervision_children (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    supervision_id UUID NOT NULL REFERENCES supervisions(id),
    person_id UUID NOT NULL REFERENCES people(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    position INTEGER NOT NULL,
    risks_reviewed TEXT NOT NULL,
    decisions TEXT NOT NULL
);
CREATE INDEX supervision_children_supervision ON supervision_children(supervision_id, position);
CREATE INDEX supervision_children_person ON supervision_children(person_id);

-- team_id is the supervised worker's team when the action was agreed: the drift report and
-- work due read it.
CREATE TABLE supervision_actions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    supervision_id UUID NOT NULL REFERENCES supervisions(id),
    person_id UUID NOT NULL REFERENCES people(id),
    episode_id UUID NOT NULL REFERENCES episodes(id),
    team_id UUID REFERENCES teams(id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    owner_id UUID NOT NULL REFERENCES workers(id),
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    times_carried INTEGER NOT NULL,
    completed_on DATE,
    completed_by UUID REFERENCES workers(id),
    completed_at TIMESTAMPTZ,
    completion_note TEXT NOT NULL,
    closed_by UUID REFERENCES workers(id),
    closed_at TIMESTAMPTZ,
    closure_reason TEXT NOT NULL
);
CREATE INDEX supervision_actions_supervision ON supervision_actions(supervision_id, position);
CREATE INDEX supervision_actions_open ON supervision_actions(authority_id, status, due_on);
CREATE INDEX supervision_actions_owner ON supervision_actions(owner_id, status);
CREATE INDEX supervision_actions_person ON supervision_actions(person_id);

CREATE TABLE supervision_reviews (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    supervision_id UUID NOT NULL REFERENCES supervisions(id),
    action_id UUID NOT NULL REFERENCES supervision_actions(id),
    position INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    due_on_before DATE NOT NULL,
    due_on_after DATE NOT NULL
);
CREATE INDEX supervision_reviews_supervision ON supervision_reviews(supervision_id, position);
CREATE INDEX supervision_reviews_action ON supervision_reviews(action_id);
