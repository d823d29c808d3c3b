-- Quality-assurance case audits (decision 0023): the authority's audit tools (the built-in
-- standard tool is in the code and has no row), audits with how their cases were chosen (the
-- criteria or the list's source, the population, the sample size and the seed, so the sample can
-- be drawn again), one case audit per child with its graded answers (the tool's questions copied
-- in, so a later change of tool never rewrites an audit), its actions (owner and due date), and
-- the partner auditors invited to a multi-agency audit. Keep in step with
-- ../sqlite/0025_quality_assurance_audits.sql. case_audits.person_id moves with a person merge.

CREATE TABLE audit_tools (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    -- One question per line, in order.
    questions TEXT NOT NULL,
    created_by UUID NOT NULL REFERENCES workers(id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (authority_id, name)
);

CREATE TABLE audits (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    title TEXT NOT NULL,
    -- standard | thematic | multi_agency
    kind TEXT NOT NULL,
    -- An audit_tools row, or the built-in standard tool's fixed id (no row).
    tool_id UUID NOT NULL,
    tool_name TEXT NOT NULL,
    -- How the cases were chosen, in words ("Decisions not authorised within one working day,
    -- 01/09/2026–30/11/2026", or the source a list of children came with).
    selection TEXT NOT NULL,
    theme TEXT,
    team_id UUID REFERENCES teams(id),
    period_from DATE,
    period_to DATE,
    population INTEGER NOT NULL,
    sample_size INTEGER NOT NULL,
    -- The sampling seed (decimal; a u64), none for a named child.
    seed TEXT,
    created_by UUID NOT NULL REFERENCES workers(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audits_authority ON audits(authority_id, created_at);

CREATE TABLE case_audits (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    audit_id UUID NOT NULL REFERENCES audits(id),
    person_id UUID NOT NULL REFERENCES people(id),
    -- The team that held the child's latest contact when the case was chosen (the report's team).
    team_id UUID REFERENCES teams(id),
    -- planned | in_progress | completed
    state TEXT NOT NULL,
    overall_grade TEXT,
    findings TEXT NOT NULL,
    started_by UUID REFERENCES workers(id),
    started_at TIMESTAMPTZ,
    completed_by UUID REFERENCES workers(id),
    completed_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_audits_audit ON case_audits(audit_id);
CREATE INDEX case_audits_person ON case_audits(person_id);
CREATE INDEX case_audits_completed ON case_audits(authority_id, state, completed_at);

CREATE TABLE case_audit_answers (
    authority_id UUID NOT NULL REFERENCES authorities(id),
    case_audit_id UUID NOT NULL REFERENCES case_audits(id),
    number INTEGER NOT NULL,
    question TEXT NOT NULL,
    grade TEXT,
    comment TEXT NOT NULL,
    answered_by UUID REFERENCES workers(id),
    answered_at TIMESTAMPTZ,
    PRIMARY KEY (case_audit_id, number)
);

CREATE TABLE case_audit_actions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    case_audit_id UUID NOT NULL REFERENCES case_audits(id),
    description TEXT NOT NULL,
    owner_id UUID NOT NULL REFERENCES workers(id),
    due_on DATE NOT NULL,
    completed_on DATE,
    completed_by UUID REFERENCES workers(id),
    created_by UUID NOT NULL REFERENCES workers(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_audit_actions_case ON case_audit_actions(case_audit_id);
CREATE INDEX case_audit_actions_open ON case_audit_actions(authority_id, completed_on, due_on);

-- Partner auditors invited to a multi-agency audit: they see only its case.
CREATE TABLE audit_invitations (
    audit_id UUID NOT NULL REFERENCES audits(id),
    authority_id UUID NOT NULL REFERENCES authorities(id),
    worker_id UUID NOT NULL REFERENCES workers(id),
    organisation_id UUID NOT NULL REFERENCES organisations(id),
    invited_by UUID NOT NULL REFERENCES workers(id),
    invited_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (audit_id, worker_id)
);
CREATE INDEX audit_invitations_worker ON audit_invitations(worker_id);
