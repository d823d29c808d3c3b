-- Early help: an episode per child (opened by an authorised early help decision, or by a step
-- down from children's social care), the coordinator's contacts with the family, consent to
-- share (given / refused / withdrawn, its parts and agencies), managers' safeguarding overrides,
-- the early help assessment with its lead professional (perhaps a partner's practitioner) and
-- the team-around-the-family actions. Keep in step with ../sqlite/0017_early_help.sql. Every
-- row carries authority_id; the child's person_id moves with a person merge.

CREATE TABLE early_help_episodes (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    person_id UUID NOT NULL REFERENCES people(id),
    -- Where it came from: an authorised decision on a contact, or a stepped-down episode.
    contact_id UUID REFERENCES contacts(id),
    decision_id UUID REFERENCES threshold_decisions(id),
    stepped_down_from UUID REFERENCES episodes(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_on DATE NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL,
    coordinator_id UUID REFERENCES workers(id),
    team_id UUID REFERENCES teams(id),
    allocated_by UUID REFERENCES workers(id),
    allocated_at TIMESTAMPTZ,
    stepped_up_contact_id UUID REFERENCES contacts(id),
    stepped_up_by UUID REFERENCES workers(id),
    stepped_up_at TIMESTAMPTZ,
    closed_on DATE
);
CREATE INDEX early_help_episodes_person ON early_help_episodes(person_id, opened_at);
CREATE INDEX early_help_episodes_authority_status ON early_help_episodes(authority_id, status, coordinator_id);

CREATE TABLE early_help_family_contacts (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    early_help_episode_id UUID NOT NULL REFERENCES early_help_episodes(id),
    contacted_on DATE NOT NULL,
    method TEXT NOT NULL,
    outcome TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX early_help_family_contacts_episode ON early_help_family_contacts(early_help_episode_id, recorded_at);

CREATE TABLE early_help_consents (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    early_help_episode_id UUID NOT NULL REFERENCES early_help_episodes(id),
    decision TEXT NOT NULL,
    given_by TEXT NOT NULL,
    relationship TEXT NOT NULL,
    decided_on DATE NOT NULL,
    -- Space-separated codes: the parts that may be shared, and the agencies it is about.
    parts TEXT NOT NULL,
    agencies TEXT NOT NULL,
    notes TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX early_help_consents_episode ON early_help_consents(early_help_episode_id, recorded_at);

CREATE TABLE early_help_overrides (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    early_help_episode_id UUID NOT NULL REFERENCES early_help_episodes(id),
    agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX early_help_overrides_episode ON early_help_overrides(early_help_episode_id);

-- One assessment per episode; the lead professional may be a partner's practitioner, and the
-- organisation completing it is Annex A list 2's.
CREATE TABLE early_help_assessments (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    early_help_episode_id UUID NOT NULL UNIQUE REFERENCES early_help_episodes(id),
    lead_worker_id UUID NOT NULL REFERENCES workers(id),
    lead_organisation_id UUID NOT NULL REFERENCES organisations(id),
    appointed_by UUID NOT NULL REFERENCES workers(id),
    appointed_at TIMESTAMPTZ NOT NULL,
    started_on DATE,
    due_on DATE,
    completed_on DATE,
    completed_by UUID REFERENCES workers(id),
    summary TEXT NOT NULL
);
CREATE INDEX early_help_assessments_due ON early_help_assessments(authority_id, completed_on, due_on);

CREATE TABLE early_help_actions (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    early_help_episode_id UUID NOT NULL REFERENCES early_help_episodes(id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    completed_by UUID REFERENCES workers(id),
    recorded_by UUID NOT NULL REFERENCES workers(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX early_help_actions_episode ON early_help_actions(early_help_episode_id, due_on);
